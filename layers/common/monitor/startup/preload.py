"""Libraries that every request of a function needs, imported at init instead of by its first request.

The functions that sign or verify a token on every request (the authorizer, login, token, password) call
`precargar_tokens()` after their imports: PyJWT and Powertools' Parameters utility (Secrets Manager) load
during init, which Lambda runs at full CPU, and the first request does not wait for them. The others never
import them unless a request needs one (docs/startup.md).
"""

from monitor.startup.switches import apagado


def precargar_tokens() -> None:
    if apagado("preload"):
        return
    import jwt  # noqa: F401
    from aws_lambda_powertools.utilities import parameters  # noqa: F401
