"""The curated knowledge base: entries as YAML data, their retrieval, its evaluation, and its lint."""
