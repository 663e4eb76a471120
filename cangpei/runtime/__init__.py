"""The parts every Cangpei service shares; see README.md beside this file."""
