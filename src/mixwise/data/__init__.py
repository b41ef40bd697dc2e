"""Data layer: from user files to a validated MMMDataset."""
