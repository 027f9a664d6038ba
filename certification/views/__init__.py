"""Pages of the certification app."""
