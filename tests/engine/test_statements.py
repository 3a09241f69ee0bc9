"""Statement readers (Alipay, WeChat Pay, CMB, ICBC, CCB) and the matching of rows to loans."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import replace
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statement_files import (
    ALIPAY_HEADER,
    ALIPAY_PREAMBLE,
    ALIPAY_ROWS,
    CMB_CREDIT,
    WECHAT_HEADER,
    WECHAT_PREAMBLE,
    WECHAT_ROWS,
    alipay_bytes,
    wechat_csv,
)

from tracker.errors import BadInput
from tracker.matching import MatchRule, can_repay, match_rows, row_ref, suggest_loan
from tracker.statements import IN, NEUTRAL, OUT, StatementRow, read_statement
from tracker.statements.cells import _amount

T = dt.datetime

# -- more files in the shapes of ../shared/reference/statement-formats.md (the shared ones: statement_files.py) --


# 2021-2022: the header first, the preamble at the end, 收/支 "其他" for neutral rows
ALIPAY_2021 = "\n".join(
    [
        "收/支,交易对方,对方账号,商品说明,收/付款方式,金额,交易状态,交易分类,交易订单号,商家订单号,交易时间,",
        "支出,某超市,shop***@163.com,日用品,花呗,25.80,交易成功,日用百货,2022031522001400000011\t,T0011\t,2022-03-15 19:20:00,",
        "其他,花呗,/,花呗主动还款-2022年03月账单,余额宝,300.00,还款成功,信用借还,2022032029020999000012\t,\t,2022-03-20 10:00:00,",
        "-" * 84,
        "导出信息：",
        "姓名：张三",
        "支付宝账户：abc***@163.com",
        "起始时间：[2022-03-01 00:00:00]    终止时间：[2022-03-31 23:59:59]",
        "导出交易类型：[全部]",
        "导出时间：[2022-04-01 10:00:00]",
        "共2笔记录",
        "收入：0笔 0.00元",
        "支出：1笔 25.80元",
        "其他：1笔 300.00元",
        "",
    ]
).encode("gbk")


def wechat_xlsx(tmp_path, header_row: int = 17) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    preamble = list(WECHAT_PREAMBLE)
    if header_row == 18:  # March 2026: one more note, on the time zone
        preamble.insert(14, "4. 交易时间为北京时间（UTC+08:00）")
    for line in preamble:
        sheet.append([line or None])
    assert sheet.max_row == header_row - 1
    sheet.append(WECHAT_HEADER.split(","))
    sheet.append(
        [
            T(2025, 3, 5, 20, 10),
            "信用卡还款",
            "招商银行信用卡还款",
            "/",
            "/",
            548.58,
            "零钱",
            "支付成功",
            "4200000002",
            "1000000002",
            "/",
        ]
    )
    sheet.append(
        [
            "2025-03-06 12:00:00",
            "商户消费",
            "某电器店",
            "空调",
            "支出",
            1234.56,
            "招商银行信用卡(1234)",
            "支付成功",
            "4200000003",
            "1000000003",
            "/",
        ]
    )
    sheet.append(
        [T(2025, 3, 7, 9, 0, 0), "转账", "李四", "转账备注:还钱", "支出", 3000, "零钱", "对方已收钱", "1000050004", "/", "/"]
    )
    sheet.append(
        [T(2025, 3, 8, 10, 0), "商户消费", "某外卖", "外卖订单", "支出", 0.1 + 0.2, "零钱", "支付成功", "4200000005", "/", "/"]
    )
    path = tmp_path / f"微信支付账单流水文件(20250301-20250331)_{header_row}.xlsx"
    book.save(path)
    return path.read_bytes()


CMB_DEBIT = "\r\n".join(
    [
        "记账日期,货币,交易金额,联机余额,交易摘要,对手信息,客户摘要",
        '2024-01-01,CNY,"1,234.00","1,271.66",代发住房公积金,北京住房公积金管理中心1111111111,01月01日约定提取',
        '2024-01-01,CNY,"-1,000.00",271.66,转账汇款,张三 66666666666666,转账',
        "2024-01-05,CNY,-2650.00,-2378.34,自动还款,招商银行信用卡中心,信用卡自动还款",
        "2024-01-05,CNY,-2650.00,-5028.34,自动还款,招商银行信用卡中心,信用卡自动还款",
        "",
    ]
).encode("gbk")


def icbc_field(text: str, width: int = 20, quote: bool = True) -> str:
    cell = f"{text:<{width}}\t"
    return f'"{cell}"' if quote else cell


def icbc_row(date, summary, place, income, expense, peer) -> str:
    return (
        ",".join(
            [
                icbc_field(date, 15, quote=False),
                icbc_field(summary),
                icbc_field(place, 60),
                icbc_field("CHN"),
                icbc_field("钞", 10, quote=False),
                icbc_field("-"),
                icbc_field("-"),
                icbc_field("-", 15, quote=False),
                icbc_field(income),
                icbc_field(expense),
                icbc_field("人民币", 15, quote=False),
                icbc_field("xx,yyyy.zz"),
                icbc_field(peer, 140),
            ]
        )
        + ","
    )


ICBC = "\n".join(
    [
        "明细查询文件下载",
        "",
        '卡号: 1234****9876,"卡别名: 工资卡"',
        "",
        '子账户序号: 00000,子账户类别: 活期,"子账户别名: "',
        "",
        "交易日期,摘要,交易场所,交易国家或地区简称,钞/汇,交易金额(收入),交易金额(支出),交易币种,记账金额(收入),记账金额(支出),记账币种,余额,对方户名",
        icbc_row("2023-05-02", "消费", "广东三元麦当劳食品有", "", "13.40", "深圳市财付通支付科技有限公司"),
        icbc_row("2023-04-25", "自动还款", "广东XX分行银行卡中心", "", "1,234.56", "张三"),
        icbc_row("2023-04-22", "他行汇入", "", "1,234.56", "", "李四"),
        icbc_row("2023-04-20", "银联消费", "", "", "1,234.56", "银联无卡支付业务((特约)掌上生活还款)"),
        icbc_row("2023-02-08", "退款", "财付通-微信红包", "1.04", "", "深圳市财付通支付科技有限公司"),
        " ",
        '人民币合计,,,,,,,,"1,234.56          \t","9,876.54          \t",',
        "",
    ]
).encode("gbk")

CCB_CSV = "\n".join(
    [
        "China Construction Bank 个人活期账户交易明细",
        "开户机构,中国建设银行某支行",
        "币种,人民币",
        "账号,6217001234567890",
        "",
        "记账日,交易日期,交易时间,支出,收入,账户余额,币种,摘要,对方账号,对方户名,交易地点",
        '20250105,20250105,10:20:30,"1,500.00",,"8,500.00",人民币,跨行还款,6225********1234,招商银行信用卡中心,手机银行',
        '20250106,20250106,08:00:00,,"10,000.00","18,500.00",人民币,工资,1234,ABC公司,',
        "以上数据仅供参考，具体内容请以柜台为准",
    ]
).encode("utf-8")


def by_order(statement) -> dict[str, StatementRow]:
    return {r.order_id: r for r in statement.rows}


# -- Alipay ------------------------------------------------------------------------------------------
def test_alipay_current_layout_gbk_crlf():
    st_ = read_statement(alipay_bytes())
    assert st_.source == "alipay"
    rows = by_order(st_)
    assert len(st_.rows) == 8
    lunch = rows["2025010522001400000001"]
    assert lunch.when == T(2025, 1, 5, 12, 30, 11)
    assert (lunch.amount, lunch.direction, lunch.counterparty, lunch.method) == (3550, OUT, "某餐厅", "招商银行信用卡(1234)")
    assert lunch.description == "午餐" and lunch.category == "餐饮美食" and lunch.status == "交易成功"
    assert lunch.raw["商家订单号"] == "M0001" and lunch.raw["对方账号"] == "abc***@163.com"
    assert lunch.source == "alipay" and lunch.currency == "CNY" and lunch.line == len(ALIPAY_PREAMBLE) + 2
    # the refund row names the lunch's order number: the lunch is refunded in full, so no repayment
    assert lunch.is_refund_or_failed and not lunch.is_repayment
    huabei = rows["2025011029020999000002"]
    assert (huabei.amount, huabei.direction, huabei.is_repayment, huabei.is_refund_or_failed) == (50000, NEUTRAL, True, False)
    assert huabei.counterparty == "花呗" and huabei.raw["商家订单号"] == ""
    assert rows["2025011229020999000003"].is_repayment  # 借呗
    assert rows["2025012529020999000008"].is_repayment  # a card repaid through Alipay
    friend = rows["2025011520000000000004"]
    assert (friend.direction, friend.is_repayment, friend.is_refund_or_failed) == (OUT, False, False)
    assert rows["2025011622001400000005"].is_refund_or_failed  # 交易关闭
    refund = rows["2025010522001400000001_1736140800"]
    assert refund.is_refund_or_failed and refund.direction == NEUTRAL and not can_repay(refund)
    assert rows["2025012020000000000007"].direction == IN


def test_alipay_lf_and_explicit_source_agree():
    assert read_statement(alipay_bytes(newline="\n"), "alipay") == read_statement(alipay_bytes())


def test_alipay_2021_layout_header_first_preamble_last():
    st_ = read_statement(ALIPAY_2021)
    assert st_.source == "alipay"
    assert [(r.when, r.amount, r.direction, r.is_repayment) for r in st_.rows] == [
        (T(2022, 3, 15, 19, 20), 2580, OUT, False),
        (T(2022, 3, 20, 10, 0), 30000, NEUTRAL, True),
    ]
    assert st_.rows[1].order_id == "2022032029020999000012" and st_.rows[1].method == "余额宝"


def test_alipay_resaved_in_excel():
    # Excel writes times as 2025/1/5 12:30 and long order numbers as 2.02501E+27
    header = "交易时间,交易分类,交易对方,对方账号,商品说明,收/支,金额,收/付款方式,交易状态,交易订单号,商家订单号,备注,"
    rows = [
        "2025/1/5 12:30,餐饮美食,某餐厅,abc***@163.com,午餐,支出,35.5,招商银行信用卡(1234),交易成功,2.02501E+27,M0001,,",
        "2025/1/10 9:00,信用借还,花呗,,花呗主动还款-2025年01月账单,不计收支,500,招商银行储蓄卡(5678),还款成功,2.02501E+27,,,",
    ]
    st_ = read_statement(alipay_bytes(rows=rows, header=header))
    lunch, huabei = st_.rows
    assert lunch.when == T(2025, 1, 5, 12, 30) and lunch.amount == 3550
    assert huabei.when == T(2025, 1, 10, 9, 0) and huabei.amount == 50000 and huabei.is_repayment
    # the mangled numbers are useless as ids: each row gets its own stable synthetic one
    assert lunch.order_id != huabei.order_id and "E+" not in huabei.order_id
    assert read_statement(alipay_bytes(rows=rows, header=header)).rows[1].order_id == huabei.order_id


def test_alipay_resaved_as_utf8_with_bom():
    data = "\ufeff".encode() + "\n".join([*ALIPAY_PREAMBLE, ALIPAY_HEADER, *ALIPAY_ROWS]).encode("utf-8")
    assert read_statement(data) == read_statement(alipay_bytes())


def test_alipay_bad_amount_names_the_line():
    rows = ["2025-01-05 12:30:11,餐饮美食,某餐厅,/,午餐,支出,三十五,余额,交易成功,2025010522001400000001\t,,,"]
    with pytest.raises(BadInput, match=rf"line {len(ALIPAY_PREAMBLE) + 2}: 金额 is not an amount"):
        read_statement(alipay_bytes(rows=rows))


def test_alipay_bad_time_names_the_line():
    rows = ["2025-13-05 12:30:11,餐饮美食,某餐厅,/,午餐,支出,35.50,余额,交易成功,2025010522001400000001\t,,,"]
    with pytest.raises(BadInput, match="交易时间 is not a date"):
        read_statement(alipay_bytes(rows=rows))


# -- WeChat Pay -------------------------------------------------------------------------------------
def test_wechat_csv():
    st_ = read_statement(wechat_csv())
    assert st_.source == "wechat"
    rows = by_order(st_)
    card = rows["4200000002"]
    assert (card.when, card.amount, card.direction, card.is_repayment) == (T(2025, 3, 5, 20, 10), 54858, NEUTRAL, True)
    assert card.counterparty == "招商银行信用卡还款" and card.description == "" and card.category == "信用卡还款"
    assert card.raw["商户单号"] == "1000000002" and card.raw["备注"] == ""
    aircon = rows["4200000003"]
    assert (aircon.amount, aircon.direction, aircon.is_repayment) == (123456, OUT, False)
    assert rows["1000050004"].amount == 300000 and rows["1000050004"].direction == OUT
    assert rows["4200000005"].is_refund_or_failed  # 已全额退款
    refund = rows["4200000005_1"]
    assert refund.is_refund_or_failed and refund.direction == IN and not refund.is_repayment
    withdrawal = rows["2072103100001"]
    assert withdrawal.direction == NEUTRAL and not withdrawal.is_repayment and not can_repay(withdrawal)
    assert rows["1000039000007"].direction == IN


def test_unpaid_orders_are_not_money_spent():
    rows = [
        "2025-01-05 12:30:11,日用百货,某商店,/,洗衣液,支出,9.90,,等待付款,2025010522001400000009\t,T9\t,,",
        "2025-01-05 12:31:00,日用百货,某商店,/,纸巾,支出,5.00,余额,等待确认收货,2025010522001400000010\t,T10\t,,",
    ]
    unpaid, paid = read_statement(alipay_bytes(rows=rows)).rows
    assert unpaid.is_refund_or_failed and not paid.is_refund_or_failed


def test_wechat_saved_as_unicode_text_utf16_tabs():
    text = "\n".join([*WECHAT_PREAMBLE, WECHAT_HEADER.replace(",", "\t"), WECHAT_ROWS[0].replace("\t,", ",").replace(",", "\t")])
    st_ = read_statement(text.encode("utf-16"))
    assert st_.source == "wechat" and st_.rows[0].amount == 54858 and st_.rows[0].is_repayment


def test_wechat_csv_without_bom_and_with_crlf():
    data = wechat_csv(bom=False).replace(b"\n", b"\r\n")
    assert read_statement(data, "wechat") == read_statement(wechat_csv())


@pytest.mark.parametrize("header_row", [17, 18])
def test_wechat_xlsx(tmp_path, header_row):
    st_ = read_statement(wechat_xlsx(tmp_path, header_row))
    assert st_.source == "wechat"
    card, aircon, friend, noisy = st_.rows
    assert card.when == T(2025, 3, 5, 20, 10) and card.amount == 54858 and card.is_repayment and card.direction == NEUTRAL
    assert card.line == header_row + 1 and card.order_id == "4200000002"
    assert aircon.when == T(2025, 3, 6, 12, 0) and aircon.amount == 123456  # text time, float amount
    assert friend.amount == 300000 and friend.raw["金额(元)"] == "3000"  # an int cell
    assert noisy.amount == 30  # 0.30000000000000004 is 30 fen, never a float in the engine
    assert all(type(r.amount) is int for r in st_.rows)


def test_xlsx_from_another_source_is_detected(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    for line in CCB_CSV.decode().splitlines()[:-1]:
        sheet.append(line.split(",") if "," in line and not line.startswith("2025") else [line])
    sheet.append([20250107, 20250107, "09:30:00", 88.5, None, 100, "人民币", "自动还款", "", "招商银行", ""])
    path = tmp_path / "ccb.xlsx"
    book.save(path)
    st_ = read_statement(path.read_bytes())
    assert st_.source == "ccb"
    assert st_.rows[-1].when == T(2025, 1, 7, 9, 30) and st_.rows[-1].amount == 8850 and st_.rows[-1].is_repayment


# -- banks ------------------------------------------------------------------------------------------
def test_cmb_credit_card_dates_get_the_statement_year():
    st_ = read_statement(CMB_CREDIT)
    assert st_.source == "cmb-credit"
    got = [(r.when.date(), r.amount, r.direction, r.is_repayment, r.is_refund_or_failed) for r in st_.rows]
    assert got == [
        (dt.date(2024, 12, 29), 123, NEUTRAL, True, False),
        (dt.date(2024, 12, 30), 34567, NEUTRAL, True, False),
        (dt.date(2025, 1, 2), 3000, NEUTRAL, True, False),
        (dt.date(2024, 12, 31), 5678, OUT, False, False),  # 交易日, not 记账日
        (dt.date(2025, 1, 3), 390, IN, False, False),
        (dt.date(2025, 1, 5), 800000, OUT, False, False),
        (dt.date(2025, 1, 8), 2000, IN, False, True),
    ]
    assert {r.method for r in st_.rows} == {"招商银行信用卡(1234)"}
    assert len({r.order_id for r in st_.rows}) == 7
    assert read_statement(CMB_CREDIT, "cmb").rows == st_.rows


def test_cmb_credit_card_without_a_title_needs_a_year():
    data = CMB_CREDIT.split(b"\n", 1)[1]
    with pytest.raises(BadInput, match="no year.*2025年01月"):
        read_statement(data)


def test_cmb_debit():
    st_ = read_statement(CMB_DEBIT)
    assert st_.source == "cmb"
    income, transfer, repay1, repay2 = st_.rows
    assert (income.amount, income.direction, income.when) == (123400, IN, T(2024, 1, 1))
    assert (transfer.amount, transfer.direction, transfer.counterparty) == (100000, OUT, "张三 66666666666666")
    assert repay1.is_repayment and repay1.direction == OUT and repay1.category == "自动还款"
    assert repay1.description == "信用卡自动还款"
    # two identical rows on one day are two payments: distinct, stable synthetic ids
    assert repay1.order_id != repay2.order_id
    assert [r.order_id for r in read_statement(CMB_DEBIT).rows] == [r.order_id for r in st_.rows]


def test_icbc_padded_tab_terminated_fields_and_total_footer():
    st_ = read_statement(ICBC)
    assert st_.source == "icbc"
    assert len(st_.rows) == 5  # the 人民币合计 footer is not a row
    meal, autopay, incoming, cmb_repay, refund = st_.rows
    assert meal.when == T(2023, 5, 2) and meal.amount == 1340 and meal.direction == OUT and meal.category == "消费"
    assert meal.description == "广东三元麦当劳食品有" and meal.counterparty == "深圳市财付通支付科技有限公司"
    assert meal.method == "工商银行(9876)" and meal.currency == "CNY"
    assert (autopay.amount, autopay.direction, autopay.is_repayment) == (123456, OUT, True)
    assert (incoming.amount, incoming.direction, incoming.is_repayment) == (123456, IN, False)
    assert cmb_repay.is_repayment  # paid a CMB card through UnionPay: 掌上生活还款 in the counterparty
    assert refund.direction == IN and refund.is_refund_or_failed
    assert meal.raw["交易金额(收入)"] == "" and meal.raw["余额"] == "xx,yyyy.zz"


def test_icbc_credit_card_repayments_arrive_on_the_card():
    data = "\n".join(
        [
            "明细查询文件下载",
            "",
            '卡号: 1234****5678,"卡别名: "',
            "",
            "交易日期,记账日期,摘要,交易场所,交易国家或地区简称,交易金额(收入),交易金额(支出),交易币种,记账金额(收入),记账金额(支出),记账币种,余额,对方户名",
            '2023-05-05     \t,2023-05-05     \t,"消费                          \t","财付通-拼多多平台商户   \t","CHN   \t",'
            '"                    \t","18.00   \t",人民币   \t,"                    \t","18.00   \t",人民币   \t,"-3,728.62   \t","   \t",',
            '2023-04-25     \t,2023-04-25     \t,"人民币自动转帐还款            \t",XX分行银行卡中心    \t,"CHN   \t",'
            '"4,621.01   \t","                    \t",人民币   \t,"4,621.01   \t","                    \t",人民币   \t,"-1,971.63   \t","   \t",',
            " ",
            '合计金额,,,,,"4621.01    \t","18.00    \t",\t,"4621.01    \t","18.00    \t",',
        ]
    ).encode("gbk")
    spend, repay = read_statement(data).rows
    assert (spend.amount, spend.direction, spend.is_repayment) == (1800, OUT, False)
    assert (repay.amount, repay.direction, repay.is_repayment, repay.method) == (462101, NEUTRAL, True, "工商银行(5678)")
    assert can_repay(repay) and not can_repay(replace(repay, is_repayment=False))


def test_ccb_resaved_as_csv():
    st_ = read_statement(CCB_CSV, "ccb")
    repay, salary = st_.rows
    assert (repay.when, repay.amount, repay.direction, repay.is_repayment) == (T(2025, 1, 5, 10, 20, 30), 150000, OUT, True)
    assert repay.method == "建设银行(7890)" and repay.counterparty == "招商银行信用卡中心"
    assert (salary.amount, salary.direction) == (1000000, IN)


# -- detection and clear errors ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "source"),
    [
        (alipay_bytes(), "alipay"),
        (ALIPAY_2021, "alipay"),
        (wechat_csv(), "wechat"),
        (CMB_CREDIT, "cmb-credit"),
        (CMB_DEBIT, "cmb"),
        (ICBC, "icbc"),
        (CCB_CSV, "ccb"),
    ],
)
def test_auto_detects_from_the_content(data, source):
    assert read_statement(data).source == source


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"\xef\xbb\xbf \r\n\n", "the file is empty"),
        (b"name,age\nbob,3\n", "no known header row found"),
        ("名字,年龄\n张三,3\n".encode("gbk"), "no known header row found"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01", "image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, r"\.xls.*save it as CSV or XLSX"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"\x00\x01\x02binary", "binary file"),
        (b"\xff\xfe\xfd\x80\x81", "neither UTF-8 nor GBK"),
    ],
)
def test_unreadable_files_get_one_clear_sentence(data, message):
    with pytest.raises(BadInput, match=message):
        read_statement(data)


def test_a_zip_that_is_not_a_workbook_is_probably_the_alipay_download():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("支付宝交易明细(20250101-20250131).csv", alipay_bytes())
    with pytest.raises(BadInput, match="unzip it"):
        read_statement(buf.getvalue())


def test_a_damaged_workbook(tmp_path):
    data = wechat_xlsx(tmp_path)
    with pytest.raises(BadInput):
        read_statement(data[: len(data) // 2])


def test_xlsx_without_a_known_header(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["name", "age"])
    path = tmp_path / "x.xlsx"
    book.save(path)
    with pytest.raises(BadInput, match="no known header row found"):
        read_statement(path.read_bytes())


def test_forced_source_names_what_it_found_and_what_it_expected():
    with pytest.raises(BadInput, match="looks like a statement from WeChat Pay, not from Alipay"):
        read_statement(wechat_csv(), "alipay")
    with pytest.raises(BadInput, match="not look like a statement from ICBC: no header row such as 交易日期,摘要"):
        read_statement(b"name,age\n", "icbc")
    with pytest.raises(BadInput, match="unknown statement source 'paypal'"):
        read_statement(wechat_csv(), "paypal")


def test_an_empty_amount_is_refused():
    rows = ["2025-03-05 20:10:00,信用卡还款,招商银行信用卡还款,/,/,,零钱,支付成功,4200000002\t,1000000002\t,/"]
    with pytest.raises(BadInput, match=r"line 18: 金额\(元\) is empty"):
        read_statement(wechat_csv(rows))


def test_too_many_decimals_in_text_are_refused():
    rows = ["2025-03-05 20:10:00,信用卡还款,招商银行信用卡还款,/,/,¥5.485,零钱,支付成功,4200000002\t,1000000002\t,/"]
    with pytest.raises(BadInput, match="more than 2 decimal places"):
        read_statement(wechat_csv(rows))


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=10**12))
def test_amount_texts_and_spreadsheet_floats_become_exact_fen(fen):
    value = Decimal(fen).scaleb(-2)
    row = f'2025-03-05 20:10:00,转账,李四,/,支出,"¥{value:,.2f}",零钱,支付成功,42{fen}\t,/\t,/'
    assert read_statement(wechat_csv([row])).rows[0].amount == fen
    assert _amount(float(value), 1, "金额") == fen  # what openpyxl hands over for a number cell


# -- matching ----------------------------------------------------------------------------------------
LOANS = [(1, "花呗", "蚂蚁集团"), (2, "借呗", "蚂蚁集团"), (3, "招行信用卡 1234", "招商银行"), (4, "Loan from Li Si", "李四")]


def test_rules_send_rows_to_loans_and_the_rest_is_unmatched_with_suggestions():
    rows = read_statement(alipay_bytes()).rows
    result = match_rows(rows, [MatchRule(1, counterparty="花呗")], LOANS)
    assert [(loan, r.order_id) for loan, r in result.matched] == [(1, "2025011029020999000002")]
    assert [(r.order_id, s) for r, s in result.unmatched] == [
        ("2025011229020999000003", 2),  # 借呗: the loan's name is the counterparty
        ("2025012529020999000008", 3),  # '1234' of the loan's name is in the description
    ]
    assert result.duplicates == []
    assert result.ignored == 5  # lunch (refunded), closed order, refund row, income, and the friend transfer (no rule)
    assert len(result.matched) + len(result.unmatched) + len(result.duplicates) + result.ignored == len(rows)


def test_a_rule_may_claim_a_row_that_is_no_repayment_signal():
    rows = read_statement(alipay_bytes()).rows
    result = match_rows(rows, [MatchRule(4, counterparty="李四")], LOANS)
    assert [(loan, r.amount) for loan, r in result.matched] == [(4, 100000)]


def test_all_given_fields_must_match_case_and_width_insensitively():
    rows = read_statement(wechat_csv()).rows
    both = MatchRule(3, counterparty="招商银行", method="零钱")
    wrong_method = MatchRule(3, counterparty="招商银行", method="招商银行信用卡")
    assert [r.order_id for _, r in match_rows(rows, [both]).matched] == ["4200000002"]
    assert match_rows(rows, [wrong_method]).matched == []
    # the refund-marked 外卖 and the neutral withdrawal never match, whatever the rule says
    everything = [MatchRule(9, description="外卖"), MatchRule(9, counterparty="招商银行(5678)")]
    assert match_rows(rows, everything).matched == []
    card = read_statement(CMB_CREDIT).rows
    width = MatchRule(3, description="财付通还款", method="信用卡（1234）")
    assert [r.amount for _, r in match_rows(card, [width]).matched] == [34567]
    assert MatchRule(1, counterparty="HUABEI").matches(replace(rows[0], counterparty="huabei"))


def test_an_empty_rule_claims_nothing():
    rows = read_statement(wechat_csv()).rows
    assert match_rows(rows, [MatchRule(1)]).matched == []


def test_the_description_rule_also_reads_the_statement_category():
    rows = read_statement(ICBC).rows
    result = match_rows(rows, [MatchRule(3, description="自动还款")], LOANS)
    assert [r.amount for _, r in result.matched] == [123456]
    assert [r.counterparty for r, _ in result.unmatched] == ["银联无卡支付业务((特约)掌上生活还款)"]


def test_the_most_specific_rule_wins():
    rows = read_statement(wechat_csv()).rows
    rules = [MatchRule(1, counterparty="银行"), MatchRule(3, counterparty="招商银行信用卡"), MatchRule(2, counterparty="招商")]
    assert [loan for loan, _ in match_rows(rows, rules).matched] == [3]


def test_duplicates_against_known_refs_and_inside_the_file():
    st_ = read_statement(alipay_bytes())
    rules = [MatchRule(1, counterparty="花呗"), MatchRule(4, counterparty="李四")]
    first = match_rows(st_.rows, rules, LOANS)
    known = {row_ref(r) for _, r in first.matched}
    assert known == {("alipay", "2025011029020999000002"), ("alipay", "2025011520000000000004")}
    again = match_rows(st_.rows, rules, LOANS, known)
    assert again.matched == [] and len(again.duplicates) == 2
    assert len(again.unmatched) == 2  # unmatched rows are never "known" until someone assigns them
    # two exports of overlapping months pasted into one file
    doubled = read_statement(alipay_bytes(rows=ALIPAY_ROWS + ALIPAY_ROWS[:2])).rows
    result = match_rows(doubled, rules, LOANS)
    assert len(result.matched) == 2 and [r.order_id for r in result.duplicates] == ["2025011029020999000002"]


def test_bank_rows_dedup_by_their_synthetic_ids_across_imports():
    rows = read_statement(CMB_DEBIT).rows
    rules = [MatchRule(3, description="信用卡自动还款")]
    first = match_rows(rows, rules, LOANS)
    assert len(first.matched) == 2  # same day, same amount: two real payments
    known = {row_ref(r) for _, r in first.matched}
    assert match_rows(read_statement(CMB_DEBIT).rows, rules, LOANS, known).duplicates == [r for _, r in first.matched]


def test_suggestions():
    row = read_statement(wechat_csv()).rows[0]  # 招商银行信用卡还款, paid from 零钱
    assert suggest_loan(row, LOANS) == 3  # lender 招商银行
    assert suggest_loan(row, [(7, "Car loan", "Bank of China")]) is None  # 'of' is no word to match on
    assert suggest_loan(row, [(5, "招商银行信用卡", ""), (3, "x", "招商银行")]) == 5  # the longer hit
    huabei = replace(row, counterparty="花呗", description="")
    assert suggest_loan(huabei, [(8, "蚂蚁花呗", "")]) == 8
    assert suggest_loan(huabei, []) is None
    # a date or a word any lender's row holds is no hint: the 花呗 bill of 2026-11 is not the card plan "of 2026-11-28",
    # and "Bank of China" is not "China Merchants Bank"
    bill = replace(row, counterparty="花呗", description="花呗主动还款-2026年11月账单")
    assert suggest_loan(bill, [(4, "ICBC Gold instalments of 2026-11-28", "ICBC")]) is None
    boc = replace(row, counterparty="Bank of China", description="Car loan repayment")
    assert suggest_loan(boc, [(2, "CMB Visa", "China Merchants Bank")]) is None
    assert suggest_loan(boc, [(2, "CMB Visa", "China Merchants Bank"), (9, "Car loan", "Bank of China")]) == 9
    # the counterparty and the description read as one: a card repayment to the bank is its card, not its car loan
    split = replace(row, counterparty="招商银行", description="信用卡还款")
    assert suggest_loan(split, [(2, "车贷 Car loan", "招商银行 CMB"), (3, "信用卡分期", "招商银行信用卡 CMB Card")]) == 3
