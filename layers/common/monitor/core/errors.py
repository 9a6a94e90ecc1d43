"""Domain exceptions; `monitor.core.http` is the single place that turns them into responses."""

from __future__ import annotations

from typing import Any


class ErrorMonitor(Exception):
    status: int = 500
    mensaje: str = "Error interno del servidor"

    def __init__(
        self,
        mensaje: str | None = None,
        *,
        detalles: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        cuerpo: dict[str, Any] | None = None,
    ) -> None:
        self.mensaje = mensaje or self.mensaje
        self.detalles = detalles
        self.headers = headers or {}
        # A few contracts (the insurer's cancel) answer with their own body instead of {"error"}.
        self.cuerpo = cuerpo
        super().__init__(self.mensaje)

    def body(self) -> dict[str, Any]:
        if self.cuerpo is not None:
            return self.cuerpo
        body: dict[str, Any] = {"error": self.mensaje}
        if self.detalles:
            body["detalles"] = self.detalles
        return body


class SolicitudInvalida(ErrorMonitor):
    status = 400
    mensaje = "Datos inválidos"


class NoAutenticado(ErrorMonitor):
    status = 401
    mensaje = "Token inválido o expirado"


class AccesoDenegado(ErrorMonitor):
    status = 403
    mensaje = "Acceso denegado"


class NoEncontrado(ErrorMonitor):
    status = 404
    mensaje = "Recurso no encontrado"


class Conflicto(ErrorMonitor):
    status = 409
    mensaje = "Conflicto con el estado actual del recurso"


class PrecondicionFallida(ErrorMonitor):
    status = 412
    mensaje = "El recurso cambió desde su última lectura"


class CuerpoDemasiadoGrande(ErrorMonitor):
    status = 413
    mensaje = "El cuerpo de la solicitud es demasiado grande"


class DemasiadosIntentos(ErrorMonitor):
    status = 429
    mensaje = "Demasiados intentos, intente más tarde"

    def __init__(self, mensaje: str | None = None, *, retry_after: int) -> None:
        super().__init__(mensaje, headers={"Retry-After": str(max(1, int(retry_after)))})


class ServicioNoDisponible(ErrorMonitor):
    status = 503
    mensaje = "Servicio no disponible temporalmente, intente de nuevo"

    def __init__(self, mensaje: str | None = None, *, retry_after: int = 1) -> None:
        super().__init__(mensaje, headers={"Retry-After": str(retry_after)})


class TransaccionEnConflicto(ServicioNoDisponible):
    """Another transaction was writing one of the same items at that moment (DynamoDB's TransactionConflict):
    nothing was written. A 503 unless the caller, reading again before it writes, simply tries again."""


class CondicionFallida(Exception):
    """A conditional write lost; the caller decides what that means in the domain."""

    def __init__(self, item: dict[str, Any] | None = None) -> None:
        self.item = item
        super().__init__("condición no cumplida")


class TransaccionCancelada(Exception):
    """A transaction was refused: per step (by the names `monitor.core.table.Transaccion` gave them), the
    code DynamoDB gave (or None) and the item as it was when its condition failed."""

    def __init__(self, razones: list[str | None], items: list[dict[str, Any] | None]) -> None:
        self.razones = razones
        self.items = items
        self.pasos: list[str] = []
        super().__init__(f"transacción cancelada: {razones}")

    def _indice(self, paso: str) -> int | None:
        return self.pasos.index(paso) if paso in self.pasos else None

    def fallo(self, paso: str) -> bool:
        """Did the condition of step `paso` fail?"""
        indice = self._indice(paso)
        return indice is not None and indice < len(self.razones) and self.razones[indice] == "ConditionalCheckFailed"

    def item(self, paso: str) -> dict[str, Any] | None:
        """The item step `paso` found when its condition failed (None otherwise)."""
        indice = self._indice(paso)
        return self.items[indice] if indice is not None and indice < len(self.items) else None
