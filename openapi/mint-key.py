"""Prints a new API key for an account, made through the API as a person would make it.

Logs in with the session cookie, then creates a key with the CSRF token. With --register the
account is registered first. Standard library only, so it runs on any Python 3.

Usage: python3 mint-key.py BASE_URL EMAIL PASSWORD [--register] [--scopes a,b,...]
The password may also come from the environment variable named by --password-env.
"""

import argparse
import http.cookiejar
import json
import os
import sys
import urllib.error
import urllib.request


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("email")
    parser.add_argument("password", nargs="?")
    parser.add_argument("--password-env")
    parser.add_argument("--register", action="store_true")
    parser.add_argument("--scopes", default="jobs:read,jobs:write,account:read")
    parser.add_argument("--name", default="minted")
    args = parser.parse_args()
    password = os.environ[args.password_env] if args.password_env else args.password
    if not password:
        sys.exit("give a password, or --password-env NAME")

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def post(path: str, body: dict, headers: dict | None = None) -> dict:
        request = urllib.request.Request(
            args.base + path,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", **(headers or {})},
            method="POST",
        )
        try:
            with opener.open(request, timeout=30) as response:
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as e:
            sys.exit(f"POST {path}: {e.code} {e.read().decode(errors='replace')}")

    if args.register:
        post("/api/v1/auth/register", {"email": args.email, "password": password})
    login = post("/api/v1/auth/login", {"email": args.email, "password": password})
    created = post(
        "/api/v1/auth/api-keys",
        {"name": args.name, "scopes": args.scopes.split(",")},
        {"X-CSRF-Token": login["csrfToken"]},
    )
    print(created["secret"])


if __name__ == "__main__":
    main()
