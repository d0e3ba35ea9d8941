"""The issuer's HTML pages: login, error and logged-out. Vietnamese, self-contained, no external assets."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape

from dev_issuer.seed import Account

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

_STYLE = """
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f0f2f5;
color:#1f1f1f}
main{max-width:380px;margin:8vh auto;background:#fff;padding:32px;border-radius:8px;
box-shadow:0 1px 4px rgba(0,0,0,.12)}
h1{font-size:22px;margin:0 0 4px}
p.sub{margin:0 0 24px;color:#595959;font-size:14px}
label{display:block;font-size:14px;margin:16px 0 6px}
input[type=text],input[type=password]{box-sizing:border-box;width:100%;padding:8px 11px;font-size:16px;
border:1px solid #d9d9d9;border-radius:6px}
button{margin-top:24px;width:100%;padding:10px;font-size:16px;border:0;border-radius:6px;background:#1677ff;
color:#fff;cursor:pointer}
.error{background:#fff2f0;border:1px solid #ffccc7;padding:8px 12px;border-radius:6px;font-size:14px}
.dev{margin-top:24px;font-size:13px;color:#8c8c8c}
.dev code{color:#595959}
"""


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)} — NOXH</title>\n<style>{_STYLE}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


def login_page(
    *,
    action: str,
    client_name: str,
    fields: Mapping[str, str],
    accounts: Iterable[Account],
    username: str = "",
    error: str | None = None,
) -> str:
    hidden = "\n".join(
        f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'
        for name, value in fields.items()
    )
    error_html = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    demo = ", ".join(f"<code>{escape(a.username)}</code>" for a in accounts)
    body = f"""<h1>Đăng nhập</h1>
<p class="sub">Nhà ở xã hội — {escape(client_name)}</p>
{error_html}
<form method="post" action="{escape(action)}">
{hidden}
<label for="username">Tên đăng nhập</label>
<input type="text" id="username" name="username" value="{escape(username)}" autocomplete="username"
 autocapitalize="none" spellcheck="false" required autofocus>
<label for="password">Mật khẩu</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<button type="submit">Đăng nhập</button>
</form>
<p class="dev">Máy chủ đăng nhập dùng cho phát triển và kiểm thử, không dùng cho dữ liệu thật.
Tài khoản mẫu: {demo}.</p>"""
    return _page("Đăng nhập", body)


def error_page(message: str) -> str:
    body = f"""<h1>Không thể đăng nhập</h1>
<p class="error" role="alert">{escape(message)}</p>
<p class="sub">Hãy quay lại ứng dụng và thử lại. Nếu lỗi lặp lại, báo cho quản trị hệ thống.</p>"""
    return _page("Lỗi đăng nhập", body)


def index_page(discovery_url: str) -> str:
    body = f"""<h1>Máy chủ đăng nhập NOXH</h1>
<p class="sub">Dùng cho phát triển và kiểm thử. Các ứng dụng đăng nhập qua OpenID Connect.</p>
<p><a href="{escape(discovery_url)}">Cấu hình OpenID Connect</a></p>"""
    return _page("Máy chủ đăng nhập", body)


def logged_out_page() -> str:
    return _page("Đã đăng xuất", '<h1>Đã đăng xuất</h1>\n<p class="sub">Bạn đã đăng xuất khỏi NOXH.</p>')
