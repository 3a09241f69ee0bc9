"""The Textual terminal app over the tracker core."""
