"""Express Entry rounds of invitations: the dated snapshot and its summaries."""
