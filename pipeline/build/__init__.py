"""The build: the stages run as one straight line; batches of communes."""
