"""The CRS: dated rule sets, the scorer with its explained breakdown, improvement advice."""
