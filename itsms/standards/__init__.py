"""The standards: ISO/IEC 20000-1:2018's clause tree, its correlations, the reference data."""
