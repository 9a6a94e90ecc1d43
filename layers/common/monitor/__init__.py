"""Monitor's shared layer. Importing it first prepares the cold start (`monitor.startup`, docs/startup.md)."""

from monitor.startup import install

install.install()
