"""What Maple knows: rules as dated data files, the scoring and eligibility engines, the FAQ."""
