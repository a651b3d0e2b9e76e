"""Stage 2: the slips of hand-made paperwork, caught in the validated inputs."""
