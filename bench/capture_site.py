"""The capture benchmark's fixture site: 40 KB Japanese pages on 127.0.0.1-127.0.0.10.

    python3 bench/capture_site.py PORT

Every address gets its own threaded server on PORT; odd pages are Shift_JIS (declared in the
header), even ones UTF-8. Each answer waits 50 ms, like a distant server would."""
import http.server
import socketserver
import sys
import threading
import time

PARAGRAPH = "東京の天気と京都の紅葉について、全文検索の仕組みを説明する長い段落です。" * 40


class Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        n = self.path.rsplit("/", 1)[-1]
        html = (
            f"<!DOCTYPE html><html lang=ja><head><title>記事 {n}</title>"
            f'<meta property="og:description" content="ベンチマーク用のページ {n}">'
            f'<meta property="og:site_name" content="ベンチサイト"></head><body>'
            + f"<p>{PARAGRAPH}</p>" * 10
            + "</body></html>"
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
