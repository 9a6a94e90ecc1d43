"""Monitor's shared package: everything the functions have in common lives here."""

from monitor import carga_diferida, recolector

recolector.pausar()
carga_diferida.instalar()
