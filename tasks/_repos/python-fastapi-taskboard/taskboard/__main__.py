"""`python3 -m taskboard` serves the API with uvicorn on $HOST:$PORT (default 0.0.0.0:8080)."""

import os

import uvicorn


def main() -> None:
    uvicorn.run(
        "taskboard.main:app",
        host=os.environ.get("HOST", "0.0.0.0"),
        port=int(os.environ.get("PORT", "8080")),
        log_level=os.environ.get("LOG_LEVEL", "info"),
    )


if __name__ == "__main__":
    main()
