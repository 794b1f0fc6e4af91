"""The qBittorrent-compatible API, driven by qbittorrent-api (PyPI): the client library written
for qBittorrent itself, used here as Sonarr or a script would use it against qBittorrent.

Logs in with a username and password and with an API key; adds a .torrent (a folder of two
files) and a magnet link (one file) seeded on loopback, each with a category; follows
torrents/info until both are finished; reads torrents/files and torrents/properties; checks that
content_path holds the seeded bytes; moves a torrent to another category; adds tags; deletes
with files; and checks qBittorrent's refusals (Fails., 403 before login, 404 for an unknown hash).

Usage: flow.py BASE EMAIL PASSWORD API_KEY TORRENT_FILE TORRENT_MAGNET SOURCE_DIR MAGNET SOURCE_FILE
"""

import hashlib
import os
import sys
import time
import urllib.error
import urllib.request

import qbittorrentapi

FINISHED = ("pausedUP", "stalledUP", "uploading", "queuedUP", "forcedUP")


def btih(magnet: str) -> str:
    for part in magnet.split("?", 1)[1].split("&"):
        if part.startswith("xt=urn:btih:"):
            return part[len("xt=urn:btih:") :].lower()
    sys.exit(f"no btih in {magnet}")


def digest(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def same_tree(source: str, copy: str) -> None:
    """Every file under `source` is under `copy` with the same bytes, and nothing else is."""
    if os.path.isfile(source):
        assert os.path.isfile(copy), f"{copy} is not a file"
        assert digest(source) == digest(copy), f"{copy} differs from {source}"
        return
    found = sorted(os.path.relpath(os.path.join(d, f), copy) for d, _, fs in os.walk(copy) for f in fs)
    wanted = sorted(os.path.relpath(os.path.join(d, f), source) for d, _, fs in os.walk(source) for f in fs)
    assert found == wanted, f"{copy} holds {found}, expected {wanted}"
    for rel in wanted:
        assert digest(os.path.join(source, rel)) == digest(os.path.join(copy, rel)), f"{rel} differs"


def finished(client: qbittorrentapi.Client, infohash: str, timeout: float = 180) -> dict:
    deadline = time.monotonic() + timeout
    states = []
    while time.monotonic() < deadline:
        listed = client.torrents_info(torrent_hashes=infohash)
        assert len(listed) == 1, f"torrents/info for {infohash}: {listed}"
        torrent = listed[0]
        if not states or states[-1] != torrent.state:
            states.append(torrent.state)
        assert torrent.state != "error", f"{infohash} failed: {states}"
        if torrent.state in FINISHED:
            assert torrent.progress == 1, torrent
            print(f"  {torrent.name}: {' -> '.join(states)}")
            return torrent
        time.sleep(0.3)
    sys.exit(f"{infohash} did not finish in {timeout} s: {states}")


def main() -> None:
    base, email, password, api_key, torrent_file, torrent_magnet, source_dir, magnet, source_file = sys.argv[1:]
    torrent_hash, magnet_hash = btih(torrent_magnet), btih(magnet)

    # Before login: 403, as qBittorrent answers.
    try:
        urllib.request.urlopen(f"{base}/api/v2/torrents/info", timeout=10)
        sys.exit("torrents/info answered before login")
    except urllib.error.HTTPError as e:
        assert e.code == 403, e.code

    # A wrong password fails; the right one logs in (the SID cookie).
    wrong = qbittorrentapi.Client(host=base, username=email, password="not the password")
    try:
        wrong.auth_log_in()
        sys.exit("a wrong password logged in")
    except qbittorrentapi.LoginFailed:
        pass
    client = qbittorrentapi.Client(host=base, username=email, password=password, REQUESTS_ARGS={"timeout": 30})
    client.auth_log_in()
    assert client.app.web_api_version == "2.9.3", client.app.web_api_version
    prefs = client.app.preferences
    assert prefs.queueing_enabled is False and prefs.dht is False, prefs
    print(f"logged in as {email}; qBittorrent {client.app.version}, Web API {client.app.web_api_version}")

    # An API key as a bearer token, without a login.
    keyed = qbittorrentapi.Client(host=base, api_key=api_key, REQUESTS_ARGS={"timeout": 30})
    keyed.auth_log_in()

    # The .torrent with a category of its own; the magnet with one created first.
    assert client.torrents_add(torrent_files=torrent_file, category="tv") == "Ok."
    client.torrents_create_category(name="movies")
    assert keyed.torrents_add(urls=magnet, category="movies", tags="radarr") == "Ok."
    assert set(client.torrent_categories.categories.keys()) == {"tv", "movies"}

    show = finished(client, torrent_hash)
    film = finished(keyed, magnet_hash)
    assert show.category == "tv" and film.category == "movies"
    assert film.tags == "radarr", film.tags
    for torrent in (show, film):
        assert torrent.save_path != torrent.content_path
        assert torrent.content_path.startswith(torrent.save_path), torrent
        assert torrent.save_path.rstrip("/").endswith("/" + torrent.category), torrent.save_path
    same_tree(source_dir, show.content_path)
    same_tree(source_file, film.content_path)
    print(f"  content paths hold the seeded bytes: {show.content_path}, {film.content_path}")

    files = client.torrents_files(torrent_hash=torrent_hash)
    names = sorted(f.name for f in files)
    base_name = os.path.basename(source_dir)
    assert names == sorted(f"{base_name}/{n}" for n in os.listdir(source_dir)), names
    assert all(f.progress == 1 for f in files)
    props = client.torrents_properties(torrent_hash=torrent_hash)
    assert props.save_path == show.save_path and props.total_size == show.size, props
    assert props.total_size == sum(os.path.getsize(os.path.join(source_dir, n)) for n in os.listdir(source_dir))

    # Another category: the files move to its folder.
    client.torrents_set_category(category="movies", torrent_hashes=torrent_hash)
    moved = finished(client, torrent_hash)
    assert moved.category == "movies" and moved.content_path != show.content_path, moved
    same_tree(source_dir, moved.content_path)
    assert not os.path.exists(show.content_path), "the old folder is left"
    try:
        client.torrents_set_category(category="no such category", torrent_hashes=torrent_hash)
        sys.exit("an unknown category was set")
    except qbittorrentapi.Conflict409Error:
        pass

    client.torrents_add_tags(tags="hd,imported", torrent_hashes=torrent_hash)
    assert client.torrents_info(torrent_hashes=torrent_hash)[0].tags == "hd, imported"
    assert sorted(client.torrents_tags()) == ["hd", "imported", "radarr"]

    # 404 for an unknown hash.
    try:
        client.torrents_properties(torrent_hash="0" * 40)
        sys.exit("an unknown hash has properties")
    except qbittorrentapi.NotFound404Error:
        pass

    # Deleting with the files removes the torrent and its content.
    client.torrents_delete(delete_files=True, torrent_hashes=torrent_hash)
    assert not os.path.exists(moved.content_path), "deleted files are still there"
    assert [t.hash for t in client.torrents_info()] == [magnet_hash]
    # Without the files, the content stays for the app.
    keyed.torrents_delete(delete_files=False, torrent_hashes=magnet_hash)
    assert client.torrents_info() == []
    same_tree(source_file, film.content_path)

    client.auth_log_out()
    print("ok: the qBittorrent-compatible API works with qbittorrent-api")


if __name__ == "__main__":
    main()
