"""hub-tui: administer school coordinators from the terminal."""

__version__ = "0.1.0"
