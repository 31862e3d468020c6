"""Writes the import benchmark's files: N links as Netscape bookmark HTML (a folder tree
three levels deep, tags from a pool of 200, Japanese and English titles, entities in URLs)
and as a Pocket CSV (tags, unread and archived). Deterministic.

    python3 bench/import_files.py N OUT_DIR
"""
import random
import sys
from html import escape

n, out = int(sys.argv[1]), sys.argv[2]
rng = random.Random(20261207)
tags = [f"tag{i}" for i in range(150)] + [f"タグ{i}" for i in range(50)]
words = ["東京", "京都", "Rust", "database", "料理", "旅行", "読書", "design", "ニュース", "guide"]
folders = [(a, b, c) for a in ("Tech", "生活", "Work", "Reading") for b in ("A", "B", "C") for c in ("x", "y", "z", "w", "v")]

def title(i):
    return f"{rng.choice(words)} {rng.choice(words)} の記事 #{i}"

by_folder = {f: [] for f in folders}
for i in range(n):
    by_folder[folders[i % len(folders)]].append(i)

with open(f"{out}/bookmarks.html", "w", encoding="utf-8") as f:
    f.write('<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">\n'
            "<TITLE>Bookmarks</TITLE>\n<H1>Bookmarks</H1>\n<DL><p>\n")
    path = []
    for folder in folders:
        common = 0
        while common < len(path) and path[common] == folder[common]:
            common += 1
        for depth in range(len(path) - 1, common - 1, -1):
            f.write("    " * (depth + 1) + "</DL><p>\n")
        for depth in range(common, 3):
            f.write("    " * (depth + 1) + f'<DT><H3 ADD_DATE="1700000000">{escape(folder[depth])}</H3>\n')
            f.write("    " * (depth + 1) + "<DL><p>\n")
        path = list(folder)
        for i in by_folder[folder]:
            t = ",".join(rng.sample(tags, rng.randint(0, 4)))
            f.write(f'                <DT><A HREF="https://site{i % 997}.example/articles/{i}?ref=bench&amp;copy=1" '
                    f'ADD_DATE="{1600000000 + i}" LAST_MODIFIED="{1600000100 + i}" TAGS="{t}">{escape(title(i))}</A>\n')
    for depth in range(len(path) - 1, -1, -1):
        f.write("    " * (depth + 1) + "</DL><p>\n")
    f.write("</DL>\n")

with open(f"{out}/pocket.csv", "w", encoding="utf-8") as f:
    f.write("title,url,time_added,tags,status\n")
    for i in range(n):
        t = "|".join(rng.sample(tags, rng.randint(0, 3)))
        status = "archive" if i % 3 == 0 else "unread"
        name = title(i).replace('"', '""')
        f.write(f'"{name}",https://pocket{i % 991}.example/read/{i},{1600000000 + i},{t},{status}\n')
