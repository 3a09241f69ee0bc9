"""The built-in app-permission checklist (paths vary with app and OS versions) and its due rules."""

from __future__ import annotations

import datetime as dt

from msgspec import Struct

from .i18n import N_, _
from .models import AuditItem

DEFAULT_INTERVAL_DAYS = 90  # a done audit item is due again after a quarter: apps update and ask again

_LENDING_WHY = N_(
    "Lending apps need only your phone number, name, ID and bank card (2021 necessary-data rules); "
    "a lender that reads your contacts can message them when you are late."
)

# (key, app, permission, instruction, why); the key keeps built-in items translatable after they are stored
TEMPLATES: list[tuple[str, str, str, str, str]] = [
    (
        "wechat-apps",
        N_("WeChat"),
        N_("authorised apps"),
        N_(
            "我 → 设置 → 个人信息与权限 → 授权管理 (older versions: 我 → 设置 → 隐私 → 授权管理). Remove lenders and apps you no longer use."
        ),
        N_("Apps you logged in to with WeChat keep reading your profile until you remove them."),
    ),
    (
        "wechat-mini",
        N_("WeChat"),
        N_("mini programs"),
        N_("Open the mini program → ··· → 关于 → ··· → 设置, and switch off 用户信息 and 位置."),
        N_("Loan and shopping mini programs ask for your profile and location; switch off what they do not need."),
    ),
    (
        "wechat-pay",
        N_("WeChat"),
        N_("payment authorisations"),
        N_(
            "In WeChat Pay's settings, look for automatic deductions (自动续费 / 自动扣费) and cancel those you do not recognise. The menu path varies by version: check in your app."
        ),
        N_("An automatic deduction keeps taking money after you stop using a service."),
    ),
    (
        "alipay-auth",
        N_("Alipay"),
        N_("authorisations"),
        N_("我的 → 设置 → 用户保护中心 → 个人信息授权管理. Withdraw the authorisations lenders and apps do not need."),
        N_("You may withdraw consent at any time (Personal Information Protection Law, art. 15)."),
    ),
    (
        "alipay-nopwd",
        N_("Alipay"),
        N_("password-free payments"),
        N_("我的 → 设置 → 支付设置 → 免密支付/自动扣款 → choose the item → 关闭服务."),
        N_("Password-free and automatic payments let a merchant take money without asking you each time."),
    ),
    (
        "lend-contacts",
        N_("Lending apps"),
        N_("contacts"),
        N_(
            "Android: 设置 → 应用 → [app] → 权限 → 通讯录 (or 设置 → 安全和隐私 → 隐私 → 权限管理器 → 通讯录); vivo: 设置 → 应用管理 → 应用权限管理. iOS: 设置 → 隐私与安全性 → 通讯录."
        ),
        _LENDING_WHY,
    ),
    (
        "lend-sms",
        N_("Lending apps"),
        N_("SMS"),
        N_("Android: 设置 → 应用 → [app] → 权限 → 短信. Deny it."),
        N_("SMS access exposes your verification codes and your messages with others."),
    ),
    (
        "lend-calls",
        N_("Lending apps"),
        N_("call log"),
        N_("Android: 设置 → 应用 → [app] → 权限 → 通话记录. Deny it."),
        N_("The call log tells a lender who your family and friends are."),
    ),
    (
        "lend-location",
        N_("Lending apps"),
        N_("location"),
        N_(
            "Android: 设置 → 应用 → [app] → 权限 → 位置信息; iOS: 设置 → 隐私与安全性 → 定位服务. Choose never, or only while using."
        ),
        N_("A lender does not need to know where you are to lend to you."),
    ),
    (
        "lend-camera",
        N_("Lending apps"),
        N_("camera"),
        N_(
            "Android: 设置 → 应用 → [app] → 权限 → 相机; iOS: 设置 → 隐私与安全性 → 相机. Allow it only while verifying your identity."
        ),
        N_("The camera is needed for a face check, not all the time."),
    ),
    (
        "lend-autostart",
        N_("Lending apps"),
        N_("auto-start"),
        N_(
            "In your phone's app management (自启动 / 应用启动管理, the name varies by brand), stop lending apps starting by themselves."
        ),
        N_("An app that starts itself can collect data and send notifications when you are not using it."),
    ),
    (
        "phone-contacts",
        N_("Phone"),
        N_("which apps read contacts"),
        N_(
            "Android 11+: 设置 → 安全和隐私 → 隐私 → 权限管理器 → 通讯录; Huawei: 设置 → 隐私 → 权限管理. iOS: 设置 → 隐私与安全性 → 通讯录 (iOS 18 can limit an app to selected contacts)."
        ),
        N_("One list shows every app that can read your contacts: take the access away from all that do not need it."),
    ),
    (
        "carrier-block",
        N_("Carrier"),
        N_("harassment-call interception"),
        N_(
            "China Mobile: text KTFSR to 10086 (QXFSR cancels); China Telecom: KTFSR to 10001 or 天翼防骚扰; China Unicom: via 10010 / 联通助理. Choose categories such as 贷款理财. Codes vary: check with your carrier."
        ),
        N_("The free carrier service (since 2019) blocks marketing and loan-sales calls before they ring."),
    ),
    (
        "phone-block",
        N_("Phone"),
        N_("spam call blocking"),
        N_(
            "Huawei: 电话 → ⋮ → 骚扰拦截; Xiaomi: 安全中心/手机管家 → 骚扰拦截; OPPO: 电话 → ⋮ → 骚扰拦截 → 拦截规则; iPhone: 设置 → 电话 → 静音未知来电."
        ),
        N_("Blocking unknown and flagged numbers cuts off most collection and scam calls."),
    ),
]


def built_in_items() -> list[AuditItem]:
    """The checklist as first created (texts stored in English, shown through the catalog)."""
    return [AuditItem(app=a, permission=p, instruction=i, why=w, template=key) for key, a, p, i, w in TEMPLATES]


def localised(item: AuditItem) -> AuditItem:
    """Built-in items are shown in the user's language; the user's own items as written."""
    if not item.template:
        return item
    return AuditItem(
        app=_(item.app),
        permission=_(item.permission),
        instruction=_(item.instruction),
        why=_(item.why),
        status=item.status,
        last_done=item.last_done,
        template=item.template,
        id=item.id,
    )


def due_date(item: AuditItem, interval_days: int) -> dt.date | None:
    """When the item is (next) due: never done -> now (None date means 'since always'); skipped -> never."""
    if item.status == "skipped":
        return None
    if item.last_done is None:
        return dt.date.min
    return item.last_done + dt.timedelta(days=interval_days)


def is_due(item: AuditItem, today: dt.date, interval_days: int) -> bool:
    when = due_date(item, interval_days)
    return when is not None and when <= today


def is_checked(item: AuditItem, today: dt.date, interval_days: int) -> bool:
    """Ticked: done, and not yet due again."""
    return item.status == "done" and not is_due(item, today, interval_days)


def ordered(items: list[AuditItem], today: dt.date, interval_days: int) -> list[AuditItem]:
    """The checklist as shown: due items first, then the checked ones, the not applicable last; by id within each."""

    def rank(item: AuditItem) -> tuple[int, int]:
        if item.status == "skipped":
            return (2, item.id or 0)
        return (0 if is_due(item, today, interval_days) else 1, item.id or 0)

    return sorted(items, key=rank)


class AuditProgress(Struct, frozen=True):
    """How far the checklist is: ``done`` of ``total`` applicable items checked, ``skipped`` not applicable."""

    done: int
    total: int
    skipped: int


def progress(items: list[AuditItem], today: dt.date, interval_days: int) -> AuditProgress:
    applicable = [i for i in items if i.status != "skipped"]
    return AuditProgress(
        done=sum(1 for i in applicable if is_checked(i, today, interval_days)),
        total=len(applicable),
        skipped=len(items) - len(applicable),
    )
