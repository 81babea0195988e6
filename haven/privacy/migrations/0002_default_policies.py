"""Version 1 of the terms of service and the privacy policy, in English and Chinese, published.

Operators edit them in the admin (Privacy -> Policy documents -> "Start a new draft"), in particular
the contact section, and publish a new version; members are then asked to accept it.
"""

from django.db import migrations
from django.utils import timezone

TERMS_EN = """# Who we are

This server runs Haven, open-source software for sharing notes, photos and short videos. It is run by its operator (the person or organisation named under "Contact" below), not by the authors of the Haven software.

# Your account

- You must give a working e-mail address and keep your password safe. You are responsible for what is done with your account.
- You can change or delete your account at any time in Settings -> Privacy.
- One person may have more than one account, but not to get around a suspension or to pretend to be several people.

# Your content

- What you post stays yours. You give this server permission to store it, show it to the people you chose (public, followers only, or only you), make smaller copies of images and videos, and translate it for readers in other languages.
- This permission ends when you delete the content or your account, except for copies that other people legitimately made (for example a quote in their own note).
- Do not post what you have no right to post, and do not post anything illegal where this server is run.

# Behaving well

- Be kind. No harassment, hate, threats, spam, scams, or sharing other people's private information.
- No sexual content involving minors, ever. We report it to the authorities.
- Do not try to break, overload or scrape this server, or to get into other people's accounts.

# What we may do

- Remove content or limit, suspend or close accounts that break these terms or the law. Where we can, we tell you why and how to appeal.
- Change these terms. We publish each new version with a summary of what changed and ask you to accept it before you continue; old versions stay readable on this page.

# No warranty

This server is offered as it is. We do our best to keep it running and your data safe, but we cannot promise that it will always be available or free of errors. Download a copy of your data from time to time (Settings -> Privacy).

# Contact

Operator: the operator publishes their name and an e-mail address here. (Operators: replace this paragraph with your contact details before opening sign-ups, then publish a new version.)
"""

TERMS_ZH = """# 我们是谁

本服务器运行 Haven——一款用于分享笔记、照片和短视频的开源软件。它由运营者（见下方“联系方式”）运营，而不是由 Haven 软件的作者运营。

# 你的账号

- 你必须提供可用的电子邮件地址，并妥善保管密码。你要对使用你账号所做的事情负责。
- 你可以随时在“设置 → 隐私”中修改或删除账号。
- 一个人可以有多个账号，但不得借此规避封禁，或假装成多个人。

# 你的内容

- 你发布的内容仍属于你。你允许本服务器保存这些内容、展示给你选择的人（公开、仅关注者或仅自己）、生成图片和视频的较小副本，并为其他语言的读者翻译。
- 当你删除内容或账号时，这项许可随之终止；他人合理制作的副本（例如在他们自己的笔记中引用）除外。
- 不要发布你无权发布的内容，也不要发布在本服务器所在地违法的内容。

# 友善相处

- 请友善待人。禁止骚扰、仇恨言论、威胁、垃圾信息、诈骗，以及泄露他人隐私。
- 绝不允许任何涉及未成年人的色情内容，我们会向有关部门举报。
- 不要试图破坏、压垮或批量抓取本服务器，也不要试图进入他人的账号。

# 我们可能采取的措施

- 删除违反本条款或法律的内容，或限制、暂停、关闭相关账号。在可能的情况下，我们会告诉你原因以及如何申诉。
- 修改本条款。每个新版本都会附上变更摘要，并请你在继续使用前接受；旧版本仍可在本页面查阅。

# 不作担保

本服务器按现状提供。我们会尽力保持运行并保护你的数据安全，但无法保证服务始终可用或没有错误。请不时下载你的数据副本（设置 → 隐私）。

# 联系方式

运营者：运营者会在此公布其名称和电子邮件地址。（运营者：请在开放注册前把这一段替换为你的联系方式，然后发布新版本。）
"""

PRIVACY_EN = """# What this policy covers

This policy says what this server stores about you, why, for how long, who can see it, and what you can do about it. The server runs Haven, open-source software; the operator named under "Contact" is responsible for your data here.

# What we store, and why

- **Your account**: username, display name, e-mail address, password (stored only as a one-way hash), profile photo, bio, the languages you read, your region, interface language, whether your account is private, and your two-step sign-in settings. We need these to run your account; your e-mail address is never shown to other members.
- **What you post**: notes, photos and videos, comments, likes, saves and collections, follows, blocks and mutes, your own translations and saved words. Photos are re-encoded, which removes hidden metadata such as where a photo was taken.
- **Sign-ins and security**: your active sessions and a login history with IP address, browser and time, to show you where you are signed in, to protect your account, and to limit abuse.
- **Usage for Discover**: which notes you were shown, so Discover does not show you the same notes again (only if you allow personalised recommendations).
- **Your choices**: which versions of these policies you accepted and your optional consents, with their history.

We do not sell your data, show advertising, or use trackers from other companies.

# How long we keep it

- Your content and account data: until you delete them or your account.
- Login history: 365 days. IP addresses: 90 days. Which notes you were shown: 30 days. Notifications: 180 days. Data exports: 7 days after they are ready. (The operator may set other periods; the privacy page lists the ones in force.)
- When you delete your account, it is erased 30 days later unless you sign in again to cancel. Afterwards we keep only a deletion receipt without your data, and records of staff access without a link to you.

# Who sees your data

- Other members see what you post with the visibility you chose, your public profile, and your public activity (likes and comments on public notes).
- **Translation**: when a reader asks for a translation of your text, it may be sent to a translation service. Translation running on this server keeps your text here. Sending your texts to an outside service is an optional consent you can turn off; followers-only and private notes go only to services the operator approved for private content.
- **Staff**: the operator and moderators can see non-public data only when they need to (for example to answer a support request or a report). Every time they open your e-mail address, a non-public note or your login history, they must give a reason, and you can see the entry (role, what, reason, time) in Settings -> Privacy -> Staff access.

# Where your data is stored

Your data is stored on the servers of this operator. If the operator offers data regions, you can choose in your privacy settings where your photos and videos are stored.

# Your rights and choices

- **Export**: download all your data as a ZIP file (readable pages and JSON) in Settings -> Privacy.
- **Delete**: delete your account and everything in it in Settings -> Privacy.
- **Correct**: change your profile and your posts at any time.
- **Optional consents** (Settings -> Privacy -> Consents), each of which you can change at any time: personalised recommendations (on by default), sending your texts to an outside translation service (on by default), news and offers by e-mail (off by default; this server sends none yet).
- You may also have rights under the law where you live, such as to complain to a data protection authority.

# Changes

We publish each new version of this policy with a summary of what changed and ask you to accept it. Earlier versions remain readable on this page.

# Contact

Operator: the operator publishes their name and an e-mail address here for privacy questions. (Operators: replace this paragraph with your contact details before opening sign-ups, then publish a new version.)
"""

PRIVACY_ZH = """# 本政策的范围

本政策说明本服务器保存了你的哪些数据、为什么保存、保存多久、谁能看到，以及你可以怎么做。本服务器运行开源软件 Haven；下方“联系方式”中的运营者对你在这里的数据负责。

# 我们保存什么，为什么保存

- **你的账号**：用户名、显示名称、电子邮件地址、密码（只保存单向哈希）、头像、简介、你阅读的语言、地区、界面语言、账号是否私密，以及两步登录设置。这些是运行你的账号所必需的；你的电子邮件地址绝不会展示给其他成员。
- **你发布的内容**：笔记、照片和视频、评论、点赞、收藏和收藏夹、关注、屏蔽和隐藏，以及你自己的翻译和生词本。照片会被重新编码，从而去除拍摄地点等隐藏的元数据。
- **登录与安全**：你当前的登录会话，以及包含 IP 地址、浏览器和时间的登录记录，用于向你显示在哪里登录、保护你的账号和限制滥用。
- **发现页的使用情况**：你看过哪些笔记，以免发现页重复推荐（仅在你允许个性化推荐时）。
- **你的选择**：你接受了这些政策的哪些版本，以及你的可选同意及其历史。

我们不出售你的数据，不投放广告，也不使用其他公司的跟踪工具。

# 保存多久

- 你的内容和账号数据：直到你删除它们或删除账号。
- 登录记录：365 天。IP 地址：90 天。看过的笔记：30 天。通知：180 天。数据导出文件：生成后 7 天。（运营者可能设置不同的期限；隐私页面会列出实际生效的期限。）
- 你删除账号后，账号会在 30 天后被清除，期间再次登录即可取消。之后我们只保留不含你数据的删除回执，以及与你不再关联的工作人员访问记录。

# 谁能看到你的数据

- 其他成员能看到你按所选可见范围发布的内容、你的公开资料以及你的公开互动（对公开笔记的点赞和评论）。
- **翻译**：当读者请求翻译你的文字时，文字可能会被发送到翻译服务。在本服务器上运行的翻译会把文字留在这里。把你的文字发送到外部服务是一项可选同意，你可以关闭；仅关注者可见和私密的笔记只会发送到运营者批准用于私密内容的服务。
- **工作人员**：运营者和审核员只有在需要时（例如处理求助或举报）才能查看非公开数据。每次他们打开你的电子邮件地址、非公开笔记或登录记录时，都必须填写理由，你可以在“设置 → 隐私 → 工作人员访问”中看到这条记录（角色、内容、理由、时间）。

# 数据存储在哪里

你的数据存储在本运营者的服务器上。如果运营者提供数据区域，你可以在隐私设置中选择照片和视频的存储位置。

# 你的权利和选择

- **导出**：在“设置 → 隐私”中把你的全部数据下载为 ZIP 文件（可阅读的网页和 JSON）。
- **删除**：在“设置 → 隐私”中删除你的账号及其中的一切。
- **更正**：随时修改你的资料和发布的内容。
- **可选同意**（设置 → 隐私 → 同意），每一项都可随时更改：个性化推荐（默认开启）、把你的文字发送到外部翻译服务（默认开启）、电子邮件新闻和优惠（默认关闭；本服务器目前不发送此类邮件）。
- 你所在地的法律可能还赋予你其他权利，例如向数据保护机构投诉。

# 变更

每个新版本的隐私政策都会附上变更摘要，并请你接受。旧版本仍可在本页面查阅。

# 联系方式

运营者：运营者会在此公布其名称和用于隐私问题的电子邮件地址。（运营者：请在开放注册前把这一段替换为你的联系方式，然后发布新版本。）
"""

POLICIES = [
    {
        "kind": "terms",
        "title_en": "Terms of service",
        "title_zh": "服务条款",
        "body_en": TERMS_EN,
        "body_zh": TERMS_ZH,
        "changes_en": "First version.",
        "changes_zh": "第一版。",
    },
    {
        "kind": "privacy",
        "title_en": "Privacy policy",
        "title_zh": "隐私政策",
        "body_en": PRIVACY_EN,
        "body_zh": PRIVACY_ZH,
        "changes_en": "First version.",
        "changes_zh": "第一版。",
    },
]


def create_policies(apps, schema_editor):  # type: ignore[no-untyped-def]
    PolicyDocument = apps.get_model("privacy", "PolicyDocument")
    now = timezone.now()
    for policy in POLICIES:
        if not PolicyDocument.objects.filter(kind=policy["kind"]).exists():
            PolicyDocument.objects.create(version=1, published_at=now, **policy)


def remove_policies(apps, schema_editor):  # type: ignore[no-untyped-def]
    PolicyDocument = apps.get_model("privacy", "PolicyDocument")
    PolicyDocument.objects.filter(version=1, changes_en="First version.").delete()


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    operations = [migrations.RunPython(create_policies, remove_policies)]
