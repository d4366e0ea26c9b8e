"""Entry point: `python3 -m bookshelf` serves the API on $HOST:$PORT (default 0.0.0.0:8080)."""

import os

from . import create_app


def main() -> None:
    app = create_app()
    host = os.environ.get("HOST", "0.0.0.0")
    port = int(os.environ.get("PORT", "8080"))
    app.run(host=host, port=port, threaded=True, use_reloader=False)


if __name__ == "__main__":
    main()
