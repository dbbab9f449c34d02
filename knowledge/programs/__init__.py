"""Programs: FSW (67-point grid), FST, CEC, category-based draws, certificates of qualification, NOC look-up."""
