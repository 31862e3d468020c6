//! Japanese and English: the string catalogues, language negotiation and local date-times.
//!
//! Both catalogues are generated from one table by [`catalog!`], so a string missing in one
//! language is a compile error rather than a blank on a page. Templates read them as plain
//! fields (`{{ c.t.items }}`), which askama checks at compile time too.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::domain::{
    link::LinkState,
    problem::{Conflict, Problem, Record},
    CaptureState, ItemKind, Locale, Priority, Status,
};

/// An interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Ja,
    En,
}

impl Lang {
    /// The `lang` attribute value.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    pub fn catalog(self) -> &'static Catalog {
        match self {
            Lang::Ja => &JA,
            Lang::En => &EN,
        }
    }

    /// The language of an account.
    pub fn of_locale(locale: Locale) -> Lang {
        match locale {
            Locale::Ja => Lang::Ja,
            Locale::En => Lang::En,
        }
    }

    /// The preferred language in an `Accept-Language` header; Japanese when neither is asked for.
    pub fn negotiate(accept_language: Option<&str>) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for part in accept_language.unwrap_or_default().split(',') {
            let mut pieces = part.split(';');
            let tag = pieces
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            let lang = match tag.split('-').next() {
                Some("ja") => Lang::Ja,
                Some("en") => Lang::En,
                _ => continue,
            };
            if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map_or(Lang::Ja, |(_, l)| l)
    }
}

/// Declares [`Catalog`] and its two instances from one table of `key: "ja", "en";` rows.
macro_rules! catalog {
    ($($key:ident: $ja:literal, $en:literal;)*) => {
        /// Every string of the interface in one language.
        pub struct Catalog { $(pub $key: &'static str,)* }
        /// 日本語.
        pub static JA: Catalog = Catalog { $($key: $ja,)* };
        /// English.
        pub static EN: Catalog = Catalog { $($key: $en,)* };
    };
}

catalog! {
    app_name: "TidilySpace", "TidilySpace";
    tagline: "ブックマークとリーディングリストを、タスクのように整理。", "Bookmarks and reading lists, tracked like tasks.";
    skip_to_content: "本文へ移動", "Skip to content";
    dashboard: "ダッシュボード", "Dashboard";
    items: "アイテム", "Items";
    groups: "グループ", "Groups";
    tree: "ツリー", "Tree";
    calendar: "カレンダー", "Calendar";
    favorites: "お気に入り", "Favourites";
    archive: "アーカイブ", "Archive";
    trash: "ゴミ箱", "Trash";
    settings: "設定", "Settings";
    menu: "メニュー", "Menu";
    new_item: "新規アイテム", "New item";
    log_in: "ログイン", "Log in";
    log_out: "ログアウト", "Log out";
    sign_up: "アカウント作成", "Sign up";
    email: "メールアドレス", "E-mail address";
    password: "パスワード", "Password";
    password_hint: "10文字以上", "At least 10 characters";
    display_name: "表示名", "Display name";
    language: "言語", "Language";
    time_zone: "タイムゾーン", "Time zone";
    profile: "プロファイル", "Profile";
    all_profiles: "すべて", "All";
    search: "検索", "Search";
    search_placeholder: "タイトル・URL・メモを検索", "Search titles, URLs and memos";
    filters: "絞り込み", "Filters";
    apply: "適用", "Apply";
    clear: "クリア", "Clear";
    any: "指定なし", "Any";
    none: "なし", "None";
    sort: "並び順", "Sort";
    sort_relevance: "関連度順", "Best match";
    sort_created: "作成日時", "Created";
    sort_updated: "更新日時", "Updated";
    sort_title: "タイトル", "Title";
    sort_priority: "優先度", "Priority";
    sort_schedule: "予定", "Schedule";
    sort_manual: "手動", "Manual";
    order: "順序", "Order";
    order_asc: "昇順", "Ascending";
    order_desc: "降順", "Descending";
    layout: "表示", "Layout";
    layout_list: "リスト", "List";
    layout_cards: "カード", "Cards";
    title: "タイトル", "Title";
    url: "URL", "URL";
    title_optional: "リンクがあれば空欄で構いません（ページのタイトルを使います）", "May stay empty when a link is given: the page's own title is used";
    already_saved: "このページは保存済みです:", "You already saved this page:";
    bookmarklet: "ブックマークレット", "Bookmarklet";
    bookmarklet_link: "TidilySpace に保存", "Save to TidilySpace";
    bookmarklet_explained: "このボタンをブックマークバーにドラッグしてください。読んでいるページでクリックすると、入力済みの新規アイテムのフォームが開きます（保存はフォームで確定するまで行われません）。Android では共有メニューの TidilySpace から同じフォームが開きます。", "Drag this button to your bookmarks bar. Clicked on the page you are reading, it opens the new-item form filled in (nothing is saved until you submit it). On Android, TidilySpace in the share menu opens the same form.";
    description: "ページの説明", "Page description";
    site: "サイト", "Site";
    capture: "ページの取得", "Page capture";
    capture_pending: "取得待ち", "Fetching";
    capture_done: "取得済み", "Fetched";
    capture_failed: "取得失敗", "Fetch failed";
    refetch: "ページを再取得", "Fetch page again";
    minutes_to_read: "分で読めます", "min read";
    duplicates: "重複", "Duplicates";
    duplicates_hint: "同じページへのリンク（http と https、www、末尾のスラッシュ、追跡用パラメータの違いは同じとみなします）をまとめます。統合すると、いちばん古いアイテムが残り、ほかのアイテムのタグとメモ、お気に入り、高い優先度を受け継ぎます。ほかのアイテムは削除されます。", "Items whose links are one page (http or https, www., a trailing slash and tracking parameters make no difference). Merging keeps the oldest item, which takes the others' tags, memos, favourite mark and highest priority; the others are deleted.";
    no_duplicates: "重複はありません。", "No duplicates.";
    kept: "残す", "Kept";
    merge_into_oldest: "いちばん古いアイテムに統合", "Merge into the oldest";
    merged: "統合しました。", "Merged.";
    also_saved: "同じページを保存済み", "Also saved as";
    memo: "メモ", "Memo";
    kind: "種類", "Kind";
    kind_bookmark: "ブックマーク", "Bookmark";
    kind_reading_list: "リーディングリスト", "Reading list";
    status: "ステータス", "Status";
    status_undecided: "未定", "Undecided";
    status_not_started: "未着手", "Not started";
    status_in_progress: "進行中", "In progress";
    status_on_hold: "保留", "On hold";
    status_done: "完了", "Done";
    priority: "優先度", "Priority";
    priority_high: "高", "High";
    priority_mid: "中", "Mid";
    priority_low: "低", "Low";
    folder: "フォルダ", "Folder";
    no_folder: "フォルダなし", "No folder";
    category: "カテゴリ", "Category";
    tags: "タグ", "Tags";
    new_tags: "新しいタグ（カンマ区切り）", "New tags (comma-separated)";
    favorite: "お気に入り", "Favourite";
    add_favorite: "お気に入りに追加", "Add to favourites";
    remove_favorite: "お気に入りから外す", "Remove from favourites";
    favorites_only: "お気に入りのみ", "Favourites only";
    schedule_start: "開始", "Schedule start";
    schedule_end: "終了", "Schedule end";
    schedule: "予定", "Schedule";
    scheduled_from: "予定（から）", "Scheduled from";
    scheduled_to: "予定（まで）", "Scheduled to";
    reminder: "リマインダー", "Reminder";
    created: "作成", "Created";
    updated: "更新", "Updated";
    archived_badge: "アーカイブ済み", "Archived";
    trashed_badge: "ゴミ箱", "In trash";
    no_items: "アイテムはありません。", "No items.";
    next_page: "次のページ", "Next page";
    first_page: "最初のページ", "First page";
    open: "開く", "Open";
    edit: "編集", "Edit";
    save: "保存", "Save";
    create: "作成", "Create";
    cancel: "キャンセル", "Cancel";
    close: "閉じる", "Close";
    archive_action: "アーカイブ", "Archive";
    unarchive: "アーカイブから戻す", "Unarchive";
    trash_action: "ゴミ箱へ", "Move to trash";
    restore: "元に戻す", "Restore";
    delete_forever: "完全に削除", "Delete for good";
    empty_trash: "ゴミ箱を空にする", "Empty trash";
    empty_trash_confirm: "ゴミ箱のアイテムをすべて完全に削除します。元に戻せません。", "Every item in the trash will be deleted for good. This cannot be undone.";
    confirm: "実行", "Confirm";
    counts_by_status: "ステータス別", "By status";
    recent: "最近更新", "Recently updated";
    due: "期限が近い・過ぎた予定", "Due and overdue";
    overdue: "期限切れ", "Overdue";
    due_soon: "7日以内", "Within 7 days";
    unread_reading: "未読のリーディングリスト", "Unread reading list";
    view_all: "すべて表示", "View all";
    account: "アカウント", "Account";
    save_settings: "設定を保存", "Save settings";
    saved: "保存しました。", "Saved.";
    change_password: "パスワード変更", "Change password";
    current_password: "現在のパスワード", "Current password";
    new_password: "新しいパスワード", "New password";
    password_changed: "パスワードを変更しました。他のセッションはログアウトされました。", "Password changed. Every other session was logged out.";
    api_tokens: "APIトークン", "API tokens";
    storage: "保存ファイル", "Stored files";
    broken_links_only: "リンク切れのみ", "Broken links only";
    read_now: "リーダーで読む", "Read";
    back_to_item: "アイテムに戻る", "Back to the item";
    open_original: "元のページを開く", "Open the original";
    broken_links: "リンク切れ", "Broken links";
    link_broken: "リンク切れ", "Broken link";
    link: "リンク", "Link";
    link_ok: "有効", "Working";
    link_moved: "移転しました", "Moved";
    link_gone: "ページがありません", "Page gone";
    link_blocked: "確認を拒否されました", "Check refused by the site";
    link_server_error: "サーバーエラー", "Server error";
    link_soft_404: "ページが見つからない旨の表示", "Shows a \"not found\" page";
    link_unreachable: "つながりません", "Unreachable";
    link_unchecked: "未確認", "Not checked yet";
    link_checked: "確認", "checked";
    link_failures: "回連続で失敗", "failed checks in a row";
    link_adopt: "新しいURLに更新", "Use the new address";
    link_check_now: "今すぐ確認", "Check now";
    link_archived_copy: "Wayback Machineの保存版", "Archived copy (Wayback Machine)";
    link_our_copy: "保存したページを読む", "Read our saved copy";
    storage_used: "使用量", "Used";
    storage_explained: "ページのアイコンとプレビュー画像は小さく変換して保存しています。同じ画像は一度だけ数えます。", "Page icons and preview images are stored, made small. The same image counts once.";
    storage_full: "上限に達したため、新しい画像は保存されません。", "The limit is reached: new images are not stored.";
    token_name: "名前", "Name";
    expires_in_days: "有効期間（日、空欄で無期限）", "Expires in days (empty: never)";
    create_token: "トークンを作成", "Create token";
    token_secret_once: "このトークンは今回だけ表示されます。今すぐコピーしてください。", "This token is shown only this once. Copy it now.";
    token_prefix: "先頭", "Prefix";
    last_used: "最終使用", "Last used";
    expires: "有効期限", "Expires";
    never: "なし", "Never";
    revoke: "無効にする", "Revoke";
    no_tokens: "トークンはありません。", "No tokens.";
    login_failed: "メールアドレスまたはパスワードが違います。", "Wrong e-mail address or password.";
    too_many_attempts: "試行回数が多すぎます。しばらくしてから再度お試しください。", "Too many attempts. Please try again later.";
    email_taken: "このメールアドレスは既に登録されています。", "This e-mail address is already registered.";
    fix_errors: "入力内容を確認してください。", "Please check the highlighted fields.";
    have_account: "アカウントをお持ちの方", "Already have an account?";
    no_account: "はじめての方", "New here?";
    error_title: "エラー", "Error";
    error_not_found: "ページが見つかりません。", "This page does not exist.";
    error_forbidden: "この操作は許可されていません。フォームを再読み込みしてもう一度お試しください。", "This action is not allowed. Reload the form and try again.";
    error_invalid: "リクエストの内容が正しくありません。", "The request was not valid.";
    error_generic: "予期しないエラーが発生しました。", "An unexpected error occurred.";
    error_unavailable: "ただいま処理できません。しばらくしてからもう一度お試しください。", "The service is busy or briefly unavailable. Please try again in a moment.";
    error_too_large: "送信された内容が大きすぎます。", "What was sent is too large.";
    error_request_id: "リクエスト ID", "Request ID";
    back_home: "ホームへ戻る", "Back to the start";
    coming_soon: "このビューは次の段階で実装されます。", "This view arrives in the next phase.";
    bulk_actions: "選択したアイテムを", "With the selected items";
    bulk_apply: "実行", "Apply";
    bulk_set_status: "ステータスを変更", "Set status";
    bulk_add_tag: "タグを追加", "Add tag";
    bulk_remove_tag: "タグを外す", "Remove tag";
    bulk_move: "フォルダへ移動", "Move to folder";
    select_item: "選択", "Select";
    offline_title: "オフライン", "Offline";
    move_action: "移動", "Move";
    move_up: "上へ", "Up";
    move_down: "下へ", "Down";
    drag_hint: "ドラッグして移動・並べ替えができます（キーボードでは各項目のフォームと ↑↓ ボタンを使います）。", "Drag to move and reorder (with a keyboard, use each entry's form and its ↑ and ↓ buttons).";
    reorder_hint: "行をドラッグするか、↑↓ ボタンで並べ替えます。", "Drag a row, or use its ↑ and ↓ buttons, to change the order.";
    drag_to_reorder: "ドラッグして並べ替え", "Drag to reorder";
    status_auto: "自動（ブックマークは未定、リーディングリストは未着手）", "Automatic (bookmark: undecided, reading list: not started)";
    new_tag_color: "新しいタグの色", "Colour of new tags";
    group_by: "グループ化", "Group by";
    items_count: "件", "items";
    new_folder: "新しいフォルダ", "New folder";
    folder_name: "フォルダ名", "Folder name";
    parent_folder: "親フォルダ", "Parent folder";
    top_level: "最上位", "Top level";
    rename: "名前とメモを編集", "Rename and memo";
    delete_folder: "フォルダを削除", "Delete folder";
    delete_folder_confirm: "フォルダとサブフォルダを削除します。中のアイテムは親フォルダへ移ります。", "The folder and its sub-folders will be deleted; their items move to the parent folder.";
    edit_folder: "フォルダを編集", "Edit folder";
    back_to_tree: "ツリーへ戻る", "Back to the tree";
    tree_hint: "フォルダを開くと中のアイテムが表示されます。ドラッグして移動・並べ替えができます（キーボードでは ↑↓ ボタン、各フォルダの「編集」ページと「すべて表示」の一覧を使います）。", "Open a folder to see its items. Drag to move and reorder (with a keyboard, use the ↑ and ↓ buttons, each folder's Edit page and its “View all” list).";
    loading: "読み込み中…", "Loading…";
    load_failed: "アイテムを読み込めませんでした。", "The items could not be loaded.";
    retry: "再試行", "Try again";
    unfiled: "フォルダなしのアイテム", "Items in no folder";
    no_folders: "フォルダはまだありません。", "No folders yet.";
    prev_month: "前の月", "Previous month";
    next_month: "次の月", "Next month";
    prev_week: "前の週", "Previous week";
    next_week: "次の週", "Next week";
    this_week: "今週", "This week";
    week_view: "週表示", "Week";
    month_view: "月表示", "Month";
    this_month: "今月", "This month";
    weekdays: "月,火,水,木,金,土,日", "Mon,Tue,Wed,Thu,Fri,Sat,Sun";
    month_title: "%Y年%-m月", "%B %Y";
    reminder_mark: "リマインダー", "Reminder";
    too_many_in_month: "この月の予定が多いため、一部のみ表示しています。", "This month has many scheduled items; only some are shown.";
    yes: "はい", "Yes";
    no: "いいえ", "No";
    items_in_folder: "件", "items";
    open_link: "リンクを開く", "Open link";
    sign_in_prompt: "続けるにはログインしてください。", "Log in to continue.";
    manage_profiles: "プロファイル", "Profiles";
    manage_categories: "カテゴリ", "Categories";
    manage_tags: "タグ", "Tags";
    settings_sections: "設定の項目", "Settings sections";
    profile_holds: "フォルダ {} 件・アイテム {} 件", "{} folders, {} items";
    label_holds: "アイテム {} 件", "{} items";
    profiles_hint: "この並び順がヘッダーのプロファイル切り替えと「すべて」の表示に使われます。", "This order is used by the header's profile switch and the All view.";
    labels_hint: "名前の順に並びます。色は一覧、カード、ボードの表示に使われます。", "Listed by name. The colour marks them in lists, cards and boards.";
    add_profile: "プロファイルを追加", "Add a profile";
    add_category: "カテゴリを追加", "Add a category";
    add_tag: "タグを追加", "Add a tag";
    name: "名前", "Name";
    color: "色", "Colour";
    none_yet: "まだありません。", "None yet.";
    delete_ellipsis: "削除…", "Delete…";
    delete_confirm_title: "削除の確認", "Delete";
    delete_for_good: "削除する", "Delete";
    deleted: "削除しました。", "Deleted.";
    delete_profile_effect: "このプロファイルを、中のフォルダ {} 件とアイテム {} 件（アーカイブとゴミ箱のものを含む）ごと完全に削除します。元に戻せません。", "This deletes the profile for good, with its {} folders and {} items (archived and trashed ones included). It cannot be undone.";
    delete_category_effect: "このカテゴリを削除します。アイテム {} 件からこのカテゴリが外れます。アイテムそのものは残ります。", "This deletes the category. It is cleared from {} items; the items themselves stay.";
    delete_tag_effect: "このタグを削除します。アイテム {} 件からこのタグが外れます。アイテムそのものは残ります。", "This deletes the tag. It is taken off {} items; the items themselves stay.";
}

/// A size as people read it: "0 KB", "12 KB", "1.5 MB", "1024 MB".
fn size(bytes: u64) -> String {
    if bytes < 1 << 20 {
        format!("{} KB", bytes.div_ceil(1 << 10))
    } else if bytes % (1 << 20) == 0 {
        format!("{} MB", bytes >> 20)
    } else {
        format!("{:.1} MB", bytes as f64 / f64::from(1u32 << 20))
    }
}

impl Catalog {
    pub fn capture_state(&self, s: CaptureState) -> &'static str {
        match s {
            CaptureState::Pending => self.capture_pending,
            CaptureState::Done => self.capture_done,
            CaptureState::Failed => self.capture_failed,
        }
    }

    /// What a link check found, in words.
    pub fn link_state(&self, s: LinkState) -> &'static str {
        match s {
            LinkState::Ok => self.link_ok,
            LinkState::Moved => self.link_moved,
            LinkState::Gone => self.link_gone,
            LinkState::Blocked => self.link_blocked,
            LinkState::ServerError => self.link_server_error,
            LinkState::Soft404 => self.link_soft_404,
            LinkState::Unreachable => self.link_unreachable,
        }
    }

    /// "12 KB / 1024 MB": kilobytes (rounded up) below a megabyte, megabytes with a tenth
    /// above (whole when they are whole).
    pub fn storage_usage(&self, used: u64, quota: u64) -> String {
        format!("{} / {}", size(used), size(quota))
    }

    /// "5分で読めます" / "5 min read".
    pub fn reading_time(&self, minutes: i32) -> String {
        let sep = if self.minutes_to_read.is_ascii() {
            " "
        } else {
            ""
        };
        format!("{minutes}{sep}{}", self.minutes_to_read)
    }

    pub fn status(&self, s: Status) -> &'static str {
        match s {
            Status::Undecided => self.status_undecided,
            Status::NotStarted => self.status_not_started,
            Status::InProgress => self.status_in_progress,
            Status::OnHold => self.status_on_hold,
            Status::Done => self.status_done,
        }
    }

    pub fn priority(&self, p: Priority) -> &'static str {
        match p {
            Priority::High => self.priority_high,
            Priority::Mid => self.priority_mid,
            Priority::Low => self.priority_low,
        }
    }

    pub fn kind(&self, k: ItemKind) -> &'static str {
        match k {
            ItemKind::Bookmark => self.kind_bookmark,
            ItemKind::ReadingList => self.kind_reading_list,
        }
    }
}

/// A field problem in `lang`. The match is exhaustive: a problem without a translation does
/// not compile.
pub fn problem(lang: Lang, problem: &Problem) -> String {
    if lang == Lang::En {
        return problem.en();
    }
    let record = |r: Record| match r {
        Record::Profile => "プロファイル",
        Record::Folder => "フォルダ",
        Record::Category => "カテゴリ",
        Record::Tag => "タグ",
        Record::Item => "アイテム",
    };
    match problem {
        Problem::Empty => "入力してください".into(),
        Problem::TooLong { max } => format!("{max}文字以内で入力してください"),
        Problem::TooShort { min } => format!("{min}文字以上で入力してください"),
        Problem::ControlCharacters => "改行などの制御文字は使えません".into(),
        Problem::NulCharacter => "NUL文字は使えません".into(),
        Problem::NotHttpUrl => "http:// または https:// で始まるURLを入力してください".into(),
        Problem::NotAColour => "#1e90ff のような色を指定してください".into(),
        Problem::NotAnEmail => "メールアドレスを入力してください".into(),
        Problem::NotATimeZone => {
            "Asia/Tokyo のようなタイムゾーン名（IANA）を指定してください".into()
        }
        Problem::OutOfRange { min, max } => format!("{min}から{max}の範囲で指定してください"),
        Problem::Count { min: 0, max } => format!("{max}個までです"),
        Problem::Count { min, max } => format!("{min}個から{max}個までです"),
        Problem::Required => "この操作には必須です".into(),
        Problem::NotChosen => "選択してください".into(),
        Problem::NoSuch(r) => format!("その{}は見つかりません", record(*r)),
        Problem::InOtherProfile => "別のプロファイルにあります".into(),
        Problem::NotANeighbour => "移動先の一覧にありません".into(),
        Problem::NeedsScheduleStart => "開始日時も入力してください".into(),
        Problem::EndBeforeStart { .. } => "開始より前の日時にはできません".into(),
        Problem::CannotCombineWith(other) => format!("{other} とは同時に指定できません"),
        Problem::NotACursor => {
            "このページ位置は使えません。最初のページからやり直してください".into()
        }
        Problem::WrongPassword => "正しくありません".into(),
        Problem::NonexistentLocalTime => {
            "夏時間の切り替えで存在しない時刻です。別の時刻を指定してください".into()
        }
        Problem::NotADateTime => "日時を入力してください".into(),
        Problem::NotOnePage => "同じページへのリンクではありません".into(),
        Problem::NotMoved => "移転先が見つかっていません".into(),
        Problem::OverQuota => "保存容量の上限を超えます".into(),
        Problem::Unreadable(_) => "値を読み取れません".into(),
    }
}

/// A conflict in `lang` (exhaustive, like [`problem`]).
pub fn conflict(lang: Lang, conflict: &Conflict) -> String {
    if lang == Lang::En {
        return conflict.en();
    }
    match conflict {
        Conflict::EmailTaken => "このメールアドレスは既に登録されています".into(),
        Conflict::NameTaken(Record::Profile) => "同じ名前のプロファイルがあります".into(),
        Conflict::NameTaken(Record::Tag) => "同じ名前のタグがあります".into(),
        Conflict::NameTaken(Record::Category) => "同じ名前のカテゴリがあります".into(),
        Conflict::NameTaken(Record::Folder) => "同じ名前のフォルダがあります".into(),
        Conflict::NameTaken(Record::Item) => "同じ名前のアイテムがあります".into(),
        Conflict::FolderCycle => {
            "フォルダを自分自身やそのサブフォルダの中へは移動できません".into()
        }
        Conflict::LastProfile => "最後のプロファイルは削除できません".into(),
        Conflict::NotAdjacent | Conflict::NeighboursOutOfOrder => {
            "一覧が変わりました。再読み込みしてからもう一度お試しください".into()
        }
    }
}

/// `template` with each `{}` replaced by the next of `args`, in order (catalogue strings
/// put their numbers where each language needs them).
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut args = args.iter();
    let mut parts = template.split("{}");
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for part in parts {
        out.push_str(args.next().copied().unwrap_or_default());
        out.push_str(part);
    }
    out
}

/// Every status in workflow order.
pub const STATUSES: [Status; 5] = [
    Status::Undecided,
    Status::NotStarted,
    Status::InProgress,
    Status::OnHold,
    Status::Done,
];
pub const PRIORITIES: [Priority; 3] = [Priority::High, Priority::Mid, Priority::Low];
pub const KINDS: [ItemKind; 2] = [ItemKind::Bookmark, ItemKind::ReadingList];

/// The wire name of a domain enum (`in_progress`), as used in URLs and forms.
pub fn wire<T: serde::Serialize>(v: T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|j| j.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The account's time zone from its IANA name. Names are checked against the same database
/// when saved ([`is_time_zone`]); a name it does not know (a row older than that check) reads
/// as UTC rather than failing the page.
pub fn zone_of(time_zone: &str) -> Tz {
    time_zone.parse().unwrap_or(Tz::UTC)
}

pub use crate::domain::{is_time_zone, time_zone_names};

/// A timestamp for people: `2026-11-25 18:00` in the user's zone.
pub fn show(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()
}

/// The value of an `<input type="datetime-local">`.
pub fn input_value(t: Option<DateTime<Utc>>, tz: Tz) -> String {
    t.map(|t| t.with_timezone(&tz).format("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_default()
}

/// Parses an `<input type="datetime-local">` value in the user's zone: `Ok(None)` when empty.
/// A time that occurs twice (clocks go back) is the earlier one; a time the clocks skip is
/// refused rather than silently moved.
pub fn parse_input(value: &str, tz: Tz) -> Result<Option<DateTime<Utc>>, Problem> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let naive = NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| Problem::NotADateTime)?;
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|t| Some(t.with_timezone(&Utc)))
        .ok_or(Problem::NonexistentLocalTime)
}

/// The first instant of `day` in the user's zone: midnight, or the first time after it that
/// exists where a daylight-saving change skips midnight (as in America/Santiago).
pub fn start_of_day(day: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).expect("midnight exists");
    // Gaps are at most a few hours; probe in quarter hours.
    (0..=4 * 24)
        .find_map(|quarter| {
            let local = midnight + chrono::Duration::minutes(15 * quarter);
            tz.from_local_datetime(&local).earliest()
        })
        .map_or_else(
            || Utc.from_utc_datetime(&midnight),
            |t| t.with_timezone(&Utc),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiates_language() {
        assert_eq!(Lang::negotiate(None), Lang::Ja);
        assert_eq!(Lang::negotiate(Some("en-US,en;q=0.9")), Lang::En);
        assert_eq!(Lang::negotiate(Some("fr, en;q=0.5, ja;q=0.8")), Lang::Ja);
        assert_eq!(Lang::negotiate(Some("de")), Lang::Ja);
    }

    #[test]
    fn known_problems_are_translated() {
        assert_eq!(problem(Lang::Ja, &Problem::Empty), "入力してください");
        assert_eq!(
            problem(Lang::Ja, &Problem::TooLong { max: 500 }),
            "500文字以内で入力してください"
        );
        assert_eq!(problem(Lang::En, &Problem::Empty), "must not be empty");
        for p in [Problem::NotADateTime, Problem::NonexistentLocalTime] {
            assert_ne!(problem(Lang::Ja, &p), p.en());
        }
    }

    #[test]
    fn local_times_round_trip() {
        let tz = zone_of("Asia/Tokyo");
        let t = parse_input("2026-11-25T09:30", tz).unwrap().unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-25T00:30:00+00:00");
        assert_eq!(input_value(Some(t), tz), "2026-11-25T09:30");
        assert_eq!(parse_input("", tz), Ok(None));
        assert_eq!(parse_input("yesterday", tz), Err(Problem::NotADateTime));
    }

    #[test]
    fn daylight_saving_changes_are_handled() {
        let ny = zone_of("America/New_York");
        // Summer (EDT, -4) and winter (EST, -5).
        let t = parse_input("2026-07-01T12:00", ny).unwrap().unwrap();
        assert_eq!(t.to_rfc3339(), "2026-07-01T16:00:00+00:00");
        let t = parse_input("2026-12-01T12:00", ny).unwrap().unwrap();
        assert_eq!(t.to_rfc3339(), "2026-12-01T17:00:00+00:00");
        // 2026-03-08 02:30 does not exist in New York; 2026-11-01 01:30 happens twice.
        assert_eq!(
            parse_input("2026-03-08T02:30", ny),
            Err(Problem::NonexistentLocalTime)
        );
        let t = parse_input("2026-11-01T01:30", ny).unwrap().unwrap();
        assert_eq!(
            t.to_rfc3339(),
            "2026-11-01T05:30:00+00:00",
            "the earlier one"
        );
        // Day boundaries follow the zone on both sides of the change.
        let day = |d: &str| start_of_day(d.parse().unwrap(), ny).to_rfc3339();
        assert_eq!(day("2026-03-08"), "2026-03-08T05:00:00+00:00");
        assert_eq!(day("2026-03-09"), "2026-03-09T04:00:00+00:00");
        // Midnight skipped (Santiago springs forward at 24:00): the day starts at 01:00.
        let scl = zone_of("America/Santiago");
        let start = start_of_day("2026-09-06".parse().unwrap(), scl);
        assert_eq!(show(start, scl), "2026-09-06 01:00");
    }

    #[test]
    fn zone_names_come_from_the_database() {
        assert!(is_time_zone("Asia/Tokyo") && is_time_zone("America/New_York"));
        assert!(!is_time_zone("Mars/Olympus_Mons") && !is_time_zone(""));
        assert_eq!(zone_of("Nowhere/Special"), Tz::UTC);
        assert!(time_zone_names().count() > 400);
        assert!(time_zone_names().any(|z| z == "Europe/London"));
    }
}
