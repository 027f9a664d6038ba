"""Pages of the SMS records (one module per register; ``base`` holds what they share)."""
