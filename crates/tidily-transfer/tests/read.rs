//! Every format, from hand-written samples shaped as the research describes each writer's
//! output (quirks included): the exact entries, folders, tags, states and dates.

use chrono::{TimeZone, Utc};
use tidily_core::domain::{
    transfer::{Entry, Format, SkipReason},
    ItemKind, Status,
};
use tidily_transfer::{read, ReadError};

fn at(secs: i64) -> Option<chrono::DateTime<Utc>> {
    Utc.timestamp_opt(secs, 0).single()
}

fn urls(entries: &[Entry]) -> Vec<&str> {
    entries
        .iter()
        .map(|e| e.url.as_deref().unwrap_or(""))
        .collect()
}

fn paths(p: &tidily_core::domain::transfer::Parsed) -> Vec<String> {
    p.folders.iter().map(|f| f.path.join("/")).collect()
}

const FIREFOX: &str = r#"<!DOCTYPE NETSCAPE-Bookmark-file-1>
<!-- This is an automatically generated file.
     It will be read and overwritten.
     DO NOT EDIT! -->
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'none'; img-src data: *; object-src 'none'"></meta>
<TITLE>Bookmarks</TITLE>
<H1>Bookmarks Menu</H1>

<DL><p>
    <DT><H3 ADD_DATE="1700000000" LAST_MODIFIED="1700000100">技術 &amp; 開発</H3>
    <DL><p>
        <DT><A HREF="https://example.com/search?a=1&copy=2&not=3" ADD_DATE="1700000200" LAST_MODIFIED="1700000300" ICON_URI="https://example.com/favicon.ico" TAGS="rust,web dev,日本語">東京の&lt;Rust&gt;勉強会</A>
        <DT><H3 ADD_DATE="1700000000" LAST_MODIFIED="1700000000">深い</H3>
        <DL><p>
            <DT><A HREF="https://deep.example/" ADD_DATE="1700000400">Deep</A>
        </DL><p>
        <DT><H3>空のフォルダ</H3>
        <DL><p>
        </DL><p>
    </DL><p>
    <HR>    <DT><A HREF="place:parent=menu________&amp;queryType=1" ADD_DATE="1">Recent</A>
    <DT><A HREF="javascript:alert(1)">bookmarklet</A>
    <DT><A HREF="https://feed.example/" FEEDURL="https://feed.example/rss">Live</A>
    <DT><H3 ADD_DATE="1700000000" LAST_MODIFIED="1700000000" PERSONAL_TOOLBAR_FOLDER="true">Bookmarks Toolbar</H3>
    <DL><p>
        <DT><A HREF="https://toolbar.example/" ADD_DATE="1700000500"></A>
    </DL><p>
    <DT><H3 ADD_DATE="1700000000" LAST_MODIFIED="1700000000" UNFILED_BOOKMARKS_FOLDER="true">Other Bookmarks</H3>
    <DL><p>
        <DT><A HREF="https://other.example/" ADD_DATE="1700000600">Other</A>
    </DL><p>
</DL>
"#;

#[test]
fn firefox() {
    let p = read(FIREFOX.as_bytes()).unwrap();
    assert_eq!(p.format, Format::Netscape);
    assert_eq!(
        urls(&p.entries),
        [
            // `&copy=` inside an attribute is not the © entity.
            "https://example.com/search?a=1&copy=2&not=3",
            "https://deep.example/",
            "https://toolbar.example/",
            "https://other.example/"
        ]
    );
    let first = &p.entries[0];
    assert_eq!(first.title, "東京の<Rust>勉強会");
    assert_eq!(first.tags, ["rust", "web dev", "日本語"]);
    assert_eq!(*first.folder, ["技術 & 開発"]);
    assert_eq!(first.created_at, at(1_700_000_200));
    assert_eq!(first.updated_at, at(1_700_000_300));
    assert_eq!(first.kind, None);
    assert_eq!(*p.entries[1].folder, ["技術 & 開発", "深い"]);
    // The toolbar is the top of the import; "Other Bookmarks" stays a folder.
    assert!(p.entries[2].folder.is_empty());
    assert_eq!(p.entries[2].title, "");
    assert_eq!(*p.entries[3].folder, ["Other Bookmarks"]);
    assert_eq!(
        paths(&p),
        [
            "技術 & 開発",
            "技術 & 開発/深い",
            "技術 & 開発/空のフォルダ",
            "Other Bookmarks"
        ]
    );
    let skipped: Vec<_> = p.skipped.iter().map(|s| s.reason).collect();
    assert_eq!(
        skipped,
        [
            SkipReason::NotAWebLink,
            SkipReason::NotAWebLink,
            SkipReason::Feed
        ]
    );
    assert!(p.skipped.iter().all(|s| s.line >= 20));
}

const CHROME: &str = "<!DOCTYPE NETSCAPE-Bookmark-file-1>\r\n<!-- This is an automatically generated file.\r\n     It will be read and overwritten.\r\n     DO NOT EDIT! -->\r\n<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=UTF-8\">\r\n<TITLE>Bookmarks</TITLE>\r\n<H1>Bookmarks</H1>\r\n<DL><p>\r\n    <DT><H3 ADD_DATE=\"1700000000\" LAST_MODIFIED=\"0\" PERSONAL_TOOLBAR_FOLDER=\"true\">ブックマーク バー</H3>\r\n    <DL><p>\r\n        <DT><A HREF=\"https://bar.example/?q=a&b=c\" ADD_DATE=\"13300000000000000\" ICON=\"data:image/png;base64,iVBORw0KGgo=\">バーのリンク</A>\r\n        <DT><H3 ADD_DATE=\"1700000000\" LAST_MODIFIED=\"0\">仕事</H3>\r\n        <DL><p>\r\n            <DT><A HREF=\"https://work.example/\" ADD_DATE=\"1700000000\">Work</A>\r\n        </DL><p>\r\n    </DL><p>\r\n    <DT><A HREF=\"https://other.example/\" ADD_DATE=\"1700000000\">Other bookmark at root</A>\r\n</DL><p>\r\n";

#[test]
fn chrome() {
    let p = read(CHROME.as_bytes()).unwrap();
    assert_eq!(
        urls(&p.entries),
        [
            "https://bar.example/?q=a&b=c",
            "https://work.example/",
            "https://other.example/"
        ]
    );
    // Chrome's own microseconds since 1601 read as a (far) date rather than refused.
    assert!(p.entries[0].created_at.is_some());
    assert!(p.entries[0].folder.is_empty());
    assert_eq!(*p.entries[1].folder, ["仕事"]);
    assert_eq!(paths(&p), ["仕事"]);
}

const SAFARI: &str = "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n\t<HTML>\n\t<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=UTF-8\">\n\t<Title>Bookmarks</Title>\n\t<H1>Bookmarks</H1>\n\t<DT><H3 FOLDED>Favourites</H3>\n\t<DL><p>\n\t\t<DT><A HREF=\"https://fav.example/\">Fav</A>\n\t</DL><p>\n\t<DT><H3 FOLDED id=\"com.apple.ReadingList\">リーディングリスト</H3>\n\t<DL><p>\n\t\t<DT><A HREF=\"https://read.example/later\">あとで読む記事</A>\n\t\t<DD>Preview text of the page\n\t</DL><p>\n</HTML>\n";

#[test]
fn safari_reading_list_by_attribute() {
    let p = read(SAFARI.as_bytes()).unwrap();
    assert_eq!(
        urls(&p.entries),
        ["https://fav.example/", "https://read.example/later"]
    );
    assert_eq!(*p.entries[0].folder, ["Favourites"]);
    assert_eq!(p.entries[0].kind, None);
    let later = &p.entries[1];
    assert_eq!(later.kind, Some(ItemKind::ReadingList));
    assert!(
        later.folder.is_empty(),
        "the reading list is a kind, not a folder"
    );
    assert_eq!(later.description, "Preview text of the page");
    assert_eq!(paths(&p), ["Favourites"]);
}

const LINKDING: &str = "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n\r<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=UTF-8\">\n\r<TITLE>Bookmarks</TITLE>\n\r<H1>Bookmarks</H1>\n\r<DL><p>\n\r<DT><A HREF=\"https://ld.example/a\" ADD_DATE=\"1700000000\" LAST_MODIFIED=\"1700000001\" PRIVATE=\"1\" TOREAD=\"1\" TAGS=\"tag with space,linkding:bookmarks.archived\">It&#x27;s archived</A>\n\r<DD>The page&#x27;s summary[linkding-notes]My **own** note[/linkding-notes]\n\r<DT><A HREF=\"https://ld.example/b\" ADD_DATE=\"1700000000\" PRIVATE=\"0\" TOREAD=\"0\" TAGS=\"\">Plain</A>\n\r</DL><p>";

#[test]
fn linkding() {
    let p = read(LINKDING.as_bytes()).unwrap();
    let a = &p.entries[0];
    assert_eq!(a.title, "It's archived");
    assert_eq!(a.tags, ["tag with space"]);
    assert!(a.archived);
    assert_eq!(a.kind, Some(ItemKind::ReadingList));
    assert_eq!(a.description, "The page's summary");
    assert_eq!(a.memo, "My **own** note");
    let b = &p.entries[1];
    assert!(!b.archived && b.tags.is_empty() && b.kind.is_none());
}

const PINBOARD_HTML: &str = "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=UTF-8\">\n<TITLE>Pinboard Bookmarks</TITLE>\n<H1>Bookmarks</H1>\n\n<DL><p><DT><A HREF=\"https://pin.example/\" ADD_DATE=\"1477929476\" PRIVATE=\"0\" TOREAD=\"1\" TAGS=\"a,b\">Pin</A>\n<DD>extended text\n\n</DL></p>\n";

#[test]
fn pinboard_html() {
    let p = read(PINBOARD_HTML.as_bytes()).unwrap();
    assert_eq!(p.entries.len(), 1);
    assert_eq!(p.entries[0].tags, ["a", "b"]);
    assert_eq!(p.entries[0].description, "extended text");
    assert_eq!(p.entries[0].created_at, at(1_477_929_476));
}

const POCKET_HTML: &str = "<!DOCTYPE html>\n<html>\n<head><title>Pocket Export</title></head>\n<body>\n<h1>Unread</h1>\n<ul>\n<li><a href=\"https://unread.example/\" time_added=\"1600000000\" tags=\"news,tech\">未読の記事</a></li>\n</ul>\n<h1>Read Archive</h1>\n<ul>\n<li><a href=\"https://read.example/\" time_added=\"1600000001\" tags=\"\">Read one</a></li>\n</ul>\n</body>\n</html>\n";

#[test]
fn pocket_html() {
    let p = read(POCKET_HTML.as_bytes()).unwrap();
    assert_eq!(p.format, Format::PocketHtml);
    let (unread, done) = (&p.entries[0], &p.entries[1]);
    assert_eq!(unread.kind, Some(ItemKind::ReadingList));
    assert_eq!(unread.tags, ["news", "tech"]);
    assert_eq!(unread.status, None);
    assert_eq!(unread.created_at, at(1_600_000_000));
    assert_eq!(done.status, Some(Status::Done));
    assert!(done.archived);
}

#[test]
fn shift_jis_bookmarks() {
    let html = "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=Shift_JIS\">\n<DL><p>\n<DT><H3>お気に入り</H3>\n<DL><p>\n<DT><A HREF=\"https://sjis.example/\">日本語のページ</A>\n</DL><p>\n</DL><p>\n";
    let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(html);
    let p = read(&bytes).unwrap();
    assert_eq!(p.entries[0].title, "日本語のページ");
    assert_eq!(*p.entries[0].folder, ["お気に入り"]);
}

#[test]
fn hundred_thousand_nested_lists() {
    let mut html = String::from("<!DOCTYPE NETSCAPE-Bookmark-file-1>\n");
    for i in 0..100_000 {
        html.push_str(&format!("<DT><H3>f{i}</H3><DL><p>"));
    }
    html.push_str("<DT><A HREF=\"https://bottom.example/\">bottom</A>");
    let p = read(html.as_bytes()).unwrap();
    assert_eq!(p.entries.len(), 1);
    assert_eq!(
        p.entries[0].folder.len(),
        32,
        "paths stop growing at the depth limit"
    );
    assert_eq!(p.folders.len(), 32);
}

const POCKET_2025: &str = "title,url,time_added,tags,status\n東京の天気,https://weather.example/tokyo?a=1&b=2,1700000000,天気|ニュース|with space,unread\nArchived,https://arch.example/,1700000001,,archive\n";
const POCKET_2024: &str = "title,url,time_added,cursor,tags,status\nOld,https://old.example/,1600000000,abc123,x|y,archive\n";

#[test]
fn pocket_csv_both_generations() {
    let p = read(POCKET_2025.as_bytes()).unwrap();
    assert_eq!(p.format, Format::PocketCsv);
    assert_eq!(
        urls(&p.entries),
        [
            "https://weather.example/tokyo?a=1&b=2",
            "https://arch.example/"
        ]
    );
    assert_eq!(p.entries[0].tags, ["天気", "ニュース", "with space"]);
    assert_eq!(p.entries[0].kind, Some(ItemKind::ReadingList));
    assert_eq!(p.entries[1].status, Some(Status::Done));
    assert!(p.entries[1].archived);
    let p = read(POCKET_2024.as_bytes()).unwrap();
    assert_eq!(
        p.entries[0].tags,
        ["x", "y"],
        "columns by header, not position"
    );
    assert_eq!(p.entries[0].created_at, at(1_600_000_000));
    assert!(p.entries[0].archived);
}

#[test]
fn instapaper_both() {
    let new = "URL,Title,Selection,Folder,Timestamp,Tags\nhttps://archived.example,Archived Article,,Archive,1700000000,[]\nhttps://star.example,Starred,a quote,Starred,1700000001,\"[\"\"one\"\",\"\"two, three\"\"]\"\nhttps://f.example,In a folder,,Recipes,1700000002,[]\n";
    let p = read(new.as_bytes()).unwrap();
    assert_eq!(p.format, Format::InstapaperCsv);
    assert!(p.entries[0].archived);
    assert!(p.entries[1].favorite);
    assert_eq!(p.entries[1].memo, "a quote");
    assert_eq!(p.entries[1].tags, ["one", "two, three"]);
    assert_eq!(*p.entries[2].folder, ["Recipes"]);
    let old = "URL,Title,Selection,Folder\nhttps://old.example,Old,,Unread\n";
    let p = read(old.as_bytes()).unwrap();
    assert_eq!(p.entries.len(), 1);
    assert_eq!(p.entries[0].created_at, None);
}

#[test]
fn raindrop_csv() {
    let csv = "id,title,note,excerpt,url,folder,tags,created,cover,highlights,favorite\n812345680,\"Design \"\"systems\"\"\",my note,\"An excerpt, with commas\",https://example.org/design,Design / UI,\"ui, ux design\",2019-12-31T23:59:59.999Z,,,true\n";
    let p = read(csv.as_bytes()).unwrap();
    assert_eq!(p.format, Format::RaindropCsv);
    let e = &p.entries[0];
    assert_eq!(e.title, "Design \"systems\"");
    assert_eq!(e.memo, "my note");
    assert_eq!(e.description, "An excerpt, with commas");
    assert_eq!(*e.folder, ["Design", "UI"]);
    assert_eq!(e.tags, ["ui", "ux design"]);
    assert!(e.favorite);
    assert_eq!(e.created_at.map(|t| t.timestamp_subsec_millis()), Some(999));
}

#[test]
fn readwise_csv() {
    let csv = "Title,URL,ID,Document tags,Saved date,Reading progress,Location,Seen\n\"Some Title\",https://www.linuxserver.io/,,\"[\"\"don't\"\", 'favorite', 'peanut, butter']\",2022-12-05 12:42:10+00:00,0.5,later,\nFed,https://feed.example/,,[],2022-12-05 12:42:10+00:00,,feed,\nDone,https://done.example/,,[],2022-12-05 12:42:10.123456+00:00,1,archive,\n";
    let p = read(csv.as_bytes()).unwrap();
    assert_eq!(p.format, Format::ReadwiseCsv);
    let e = &p.entries[0];
    assert_eq!(e.tags, ["don't", "peanut, butter"]);
    assert!(e.favorite);
    assert_eq!(e.reading_progress, Some(50));
    assert_eq!(e.status, Some(Status::InProgress));
    assert_eq!(p.entries[1].status, Some(Status::Done));
    assert_eq!(p.skipped[0].reason, SkipReason::Feed);
}

#[test]
fn pinboard_json() {
    let json = r#"[{"href":"https://pb.example/","description":"ピンボード","extended":"desc","meta":"x","hash":"y","time":"2016-10-31T15:57:56Z","shared":"yes","toread":"yes","tags":"a b a"},
                   {"href":"javascript:void(0)","description":"js","time":"2016-10-31T15:57:56Z","tags":""},
                   {"nothing": 1}]"#;
    let p = read(json.as_bytes()).unwrap();
    assert_eq!(p.format, Format::PinboardJson);
    let e = &p.entries[0];
    assert_eq!(e.title, "ピンボード");
    assert_eq!(e.description, "desc");
    assert_eq!(e.tags, ["a", "b"]);
    assert_eq!(e.kind, Some(ItemKind::ReadingList));
    assert_eq!(e.created_at, at(1_477_929_476));
    let reasons: Vec<_> = p.skipped.iter().map(|s| (s.line, s.reason)).collect();
    assert_eq!(
        reasons,
        [(2, SkipReason::NotAWebLink), (3, SkipReason::Empty)]
    );
}

#[test]
fn karakeep_and_linkwarden_json() {
    let karakeep = r#"{"bookmarks":[{"createdAt":1700000000,"title":null,"tags":["k1"],"lists":["l2"],"content":{"type":"link","url":"https://kk.example/"},"note":"n","archived":true},
        {"createdAt":1700000001,"title":"A note","tags":[],"lists":[],"content":{"type":"text","text":"Just text"},"note":null,"archived":false}],
        "lists":[{"id":"l1","name":"Parent","description":null,"icon":"x","type":"manual","query":null,"parentId":null},{"id":"l2","name":"Child","icon":"y","type":"manual","parentId":"l1"}]}"#;
    let p = read(karakeep.as_bytes()).unwrap();
    assert_eq!(p.format, Format::KarakeepJson);
    assert_eq!(*p.entries[0].folder, ["Parent", "Child"]);
    assert!(p.entries[0].archived);
    assert_eq!(p.entries[1].url, None);
    assert_eq!(p.entries[1].memo, "Just text");
    assert_eq!(paths(&p), ["Parent", "Parent/Child"]);

    let linkwarden = r#"{"name":"u","collections":[{"id":1,"name":"Top","description":"top memo","parentId":null,"links":[{"name":"LW","url":"https://lw.example/","description":"d","createdAt":"2024-01-02T03:04:05.000Z","tags":[{"name":"t1"}]}]},{"id":2,"name":"Sub","parentId":1,"links":[]}],"pinnedLinks":[]}"#;
    let p = read(linkwarden.as_bytes()).unwrap();
    assert_eq!(p.format, Format::LinkwardenJson);
    assert_eq!(p.entries[0].tags, ["t1"]);
    assert_eq!(*p.entries[0].folder, ["Top"]);
    assert_eq!(paths(&p), ["Top", "Top/Sub"]);
    assert_eq!(p.folders[0].memo, "top memo");
}

#[test]
fn unreadable_files() {
    assert_eq!(read(b"").unwrap_err(), ReadError::Empty);
    assert_eq!(read(b"   \n").unwrap_err(), ReadError::Empty);
    assert_eq!(read(b"PK\x03\x04rest").unwrap_err(), ReadError::Zip);
    assert_eq!(
        read(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap_err(),
        ReadError::Binary
    );
    assert_eq!(
        read(b"just some words\nand more").unwrap_err(),
        ReadError::Unrecognised
    );
    assert_eq!(
        read(b"title,time_added\nx,1\n").unwrap_err(),
        ReadError::MissingColumn("url")
    );
    assert!(matches!(
        read(br#"{"format":"tidilyspace","version":1,"items":[{"#).unwrap_err(),
        ReadError::Json(_)
    ));
    assert!(matches!(
        read(br#"[{"href":"https://a.example/""#).unwrap_err(),
        ReadError::Json(_)
    ));
    assert_eq!(
        read(b"<html><body>nothing</body></html>").unwrap_err(),
        ReadError::Nothing
    );
    // A truncated HTML file keeps what it had.
    let cut = &FIREFOX.as_bytes()[..FIREFOX.find("深い</H3>").unwrap()];
    assert_eq!(read(cut).unwrap().entries.len(), 1);
    // A CSV row with a missing field is reported, the rest kept.
    let p = read(
        b"title,url,time_added,tags,status\nA,https://a.example/,1,,unread\nB,https://b.example/\n",
    )
    .unwrap();
    assert_eq!(p.entries.len(), 1);
    assert_eq!(
        (p.skipped[0].line, p.skipped[0].reason),
        (3, SkipReason::Malformed)
    );
}
