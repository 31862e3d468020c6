"""Drives TidilySpace's linkding-compatible API with aiolinkding, the client library behind
linkding-cli and Home Assistant's linkding integration (from PyPI, unmodified).

    python client.py BASE_URL TOKEN

Exits non-zero (with the failed assertion) unless every call answers as linkding would.
"""
import asyncio
import sys

from aiolinkding import async_get_client


async def main(url: str, token: str) -> None:
    client = await async_get_client(url, token)  # checks /health and the version

    created = await client.bookmarks.async_create(
        "https://example.com/articles/東京?a=1&copy=2",
        title="東京の記事",
        description="A summary",
        notes="my **note**",
        tag_names=["rust", "web dev", "日本語"],
    )
    assert created["id"] > 0, created
    assert created["url"] == "https://example.com/articles/東京?a=1&copy=2", created
    assert created["title"] == "東京の記事", created
    assert created["description"] == "A summary", created
    assert created["notes"] == "my **note**", created
    assert sorted(created["tag_names"]) == ["rust", "web dev", "日本語"], created
    assert created["is_archived"] is False and created["unread"] is False, created

    later = await client.bookmarks.async_create(
        "https://example.org/later", title="Read later", tag_names=["rust"], unread=True
    )
    assert later["unread"] is True, later

    # Saving a page again updates it, as linkding does.
    again = await client.bookmarks.async_create(
        "https://example.org/later", title="Read later, renamed", tag_names=["rust", "again"]
    )
    assert again["id"] == later["id"], (again, later)
    assert again["title"] == "Read later, renamed", again

    everything = await client.bookmarks.async_get_all()
    assert everything["count"] == 2, everything
    assert [b["id"] for b in everything["results"]] == [later["id"], created["id"]], everything

    paged = await client.bookmarks.async_get_all(limit=1)
    assert paged["count"] == 2 and len(paged["results"]) == 1, paged
    assert paged["next"] and paged["next"].startswith("http") and "offset=1" in paged["next"], paged
    second = await client.bookmarks.async_get_all(limit=1, offset=1)
    assert second["results"][0]["id"] == created["id"] and second["next"] is None, second
    assert second["previous"] is not None, second

    words = await client.bookmarks.async_get_all(query="東京")
    assert [b["id"] for b in words["results"]] == [created["id"]], words
    tagged = await client.bookmarks.async_get_all(query="#again")
    assert [b["id"] for b in tagged["results"]] == [later["id"]], tagged
    both = await client.bookmarks.async_get_all(query="#rust #日本語")
    assert [b["id"] for b in both["results"]] == [created["id"]], both
    none = await client.bookmarks.async_get_all(query="#nosuchtag")
    assert none["count"] == 0 and none["results"] == [], none

    single = await client.bookmarks.async_get_single(created["id"])
    assert single["title"] == "東京の記事", single

    updated = await client.bookmarks.async_update(
        created["id"], title="Renamed", notes="new note", tag_names=["web dev"]
    )
    assert updated["title"] == "Renamed" and updated["notes"] == "new note", updated
    assert updated["tag_names"] == ["web dev"], updated
    assert updated["description"] == "A summary", updated

    await client.bookmarks.async_archive(created["id"])
    live = await client.bookmarks.async_get_all()
    assert [b["id"] for b in live["results"]] == [later["id"]], live
    archived = await client.bookmarks.async_get_archived()
    assert [b["id"] for b in archived["results"]] == [created["id"]], archived
    assert archived["results"][0]["is_archived"] is True, archived
    await client.bookmarks.async_unarchive(created["id"])
    assert (await client.bookmarks.async_get_archived())["count"] == 0

    tags = await client.tags.async_get_all(limit=5000)
    names = sorted(t["name"] for t in tags["results"])
    assert names == ["again", "rust", "web dev", "日本語"], tags
    tag = await client.tags.async_get_single(tags["results"][0]["id"])
    assert tag["name"] == tags["results"][0]["name"], tag

    profile = await client.user.async_get_profile()
    assert "theme" in profile, profile

    await client.bookmarks.async_delete(later["id"])
    rest = await client.bookmarks.async_get_all()
    assert [b["id"] for b in rest["results"]] == [created["id"]], rest

    print("linkding client: every call answered")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
