"""The capture benchmark's fixture site: 40 KB Japanese articles on 127.0.0.1-127.0.0.10.

    python3 bench/capture_site.py PORT

Every address gets its own threaded server on PORT; odd pages are Shift_JIS (declared in the
header), even ones UTF-8. Each page has an icon, a 1,200 x 630 preview image and two images in
its article (ten distinct photos per host, as a site reuses its pictures), so a capture fetches,
decodes and stores images and a readable archive. Each answer waits 50 ms, like a distant
server would."""
import http.server
import socketserver
import struct
import sys
import threading
import time
import zlib


def png(width, height, seed):
    """An RGB PNG with some detail (a photo-sized file, not a flat one)."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        for x in range(width):
            rows += bytes(((x // 2 + seed * 31) % 256, (y // 2) % 256, ((x // 16) ^ (y // 16) ^ seed) * 9 % 256))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(rows), 6)) + chunk(b"IEND", b"")


ICON = png(64, 64, 1)
PHOTOS = [png(1200, 630, seed) for seed in range(10)]

PARAGRAPH = "東京の天気と京都の紅葉について、全文検索の仕組みを説明する長い段落です。" * 40


class Page(http.server.BaseHTTPRequestHandler):
    def image(self, body):
        time.sleep(0.05)
        self.send_response(200)
        self.send_header("content-type", "image/png")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/icon.png":
            return self.image(ICON)
        if self.path.startswith("/img/"):
            return self.image(PHOTOS[int(self.path.rsplit("/", 1)[-1].split(".")[0]) % len(PHOTOS)])
        n = self.path.rsplit("/", 1)[-1]
        k = int(n) if n.isdigit() else 0
        html = (
            f"<!DOCTYPE html><html lang=ja><head><title>記事 {n}</title>"
            f'<link rel="icon" href="/icon.png" sizes="64x64">'
            f'<meta property="og:image" content="/img/{k % 10}.png">'
            f'<meta property="og:description" content="ベンチマーク用のページ {n}">'
            f'<meta property="og:site_name" content="ベンチサイト"></head><body>'
            f"<nav><a href='/'>ホーム</a></nav><article><h1>記事 {n}</h1>"
            + f"<p>{PARAGRAPH}</p>" * 5
            + f'<figure><img src="/img/{(k + 3) % 10}.png" alt="写真"></figure>'
            + f"<p>{PARAGRAPH}</p>" * 5
            + f'<figure><img src="/img/{(k + 7) % 10}.png" alt="写真"></figure>'
            + "</article></body></html>"
        )
        odd = n.isdigit() and int(n) % 2 == 1
        body = html.encode("shift_jis" if odd else "utf-8")
        time.sleep(0.05)
        self.send_response(200)
        self.send_header("content-type", "text/html; charset=" + ("Shift_JIS" if odd else "utf-8"))
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


port = int(sys.argv[1])
for i in range(1, 11):
    server = Server((f"127.0.0.{i}", port), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
threading.Event().wait()
