"""What a sandbox is told so that its tools go through the egress proxy: the proxy variables
(curl, pip, cargo, npm and most HTTP libraries read them) and an apt configuration file (apt
reads no environment when it drops to its `_apt` user)."""

from __future__ import annotations

APT_CONF_PATH = "/etc/apt/apt.conf.d/90abcbench-egress-proxy"
LOCAL_NAMES = ("localhost", "127.0.0.1", "::1")


def proxy_environment(proxy_url: str, direct: tuple[str, ...] = ()) -> dict[str, str]:
    """Variables that send HTTP and HTTPS through `proxy_url`; loopback and the `direct`
    hosts (the model gateway's address) are reached without it."""
    no_proxy = ",".join(dict.fromkeys([*LOCAL_NAMES, *direct]))
    return {
        "http_proxy": proxy_url, "https_proxy": proxy_url,
        "HTTP_PROXY": proxy_url, "HTTPS_PROXY": proxy_url,
        "no_proxy": no_proxy, "NO_PROXY": no_proxy,
        "CARGO_HTTP_PROXY": proxy_url,
        "npm_config_proxy": proxy_url, "npm_config_https_proxy": proxy_url,
    }


def apt_config(proxy_url: str) -> str:
    return (f'Acquire::http::Proxy "{proxy_url}/";\n'
            f'Acquire::https::Proxy "{proxy_url}/";\n')
