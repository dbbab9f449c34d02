"""The CRS: dated rule sets, the scorer with its explained breakdown, and the what-ifs (changed copies, re-scored)."""
