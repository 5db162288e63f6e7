"""istio-deck: present Hugo blog posts as slides in a terminal."""

__version__ = "0.1.0"
