"""The precise patterns by flag code, and every text hit they and the lexicon's rules find in a message."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .concepts import _concept_hits
from .links import _TLDS, _URL_CHAR, _URL_TAIL, _merchant_name
from .negation import _negated
from .text import normalise

# Written against the normalised text: lower case, ASCII punctuation (NFKC), no filler inside Chinese words.
_ZX = r"(?:征|徵|zheng)(?:信|xin)"
_YOU = r"(?:你|您)"
_ACCOUNT = r"(?:账户|帐户|账号|帐号|银行卡|卡号|卡|支付宝|微信)"
_SECRET_ZH = (
    r"(?:验证码|校验码|动态码|动态密码|短信码|确认码|授权码|支付密码|取款密码|交易密码|登录密码|密码"
    r"|身份证(?:号码?|照片|正反面)?|银行卡(?:号码?|照片|正反面|信息|密码)|信用卡号|卡号|cvv2?|cvn2?|安全码"
    r"|卡背面?(?:后?三位)?(?:数字)?|有效期|网银(?:账号|密码)?|u盾)"
)
_ASK_ZH = r"(?:提供|告知|告诉|发送|发给|发我|回复|报给|报一下|报出|报上|说出|念出|念一下|读出|输入|填写|填入|上传|提交|转发|拍照发|索要|给我)"
_US = r"(?:我们|我|客服|专员|工作人员|本人|对方|本行|银行|经理)"
_RELATIVE_ZH = (
    r"(?:朋友|好友|亲友|亲属|亲戚|家人|同事|同学|室友|老乡|儿子|女儿|丈夫|妻子|老公|老婆|父亲|母亲|爸爸|妈妈|弟弟|哥哥|姐姐|妹妹)"
)
_CIRCLE_ZH = r"(?:通讯录|联系人|亲友|亲人|家人|父母|家属|朋友|同事|领导|单位|公司|老板|学校|老师|辅导员|邻居|紧急联系人|全家)"
_NUM_ZH = r"(?:\d{1,3}|[一二两三四五六七八九十半]{1,3})"


_RELATIVE_EN = r"(?:friend|relative|colleague|co-?worker|family member|brother|sister|son|daughter|husband|wife|father|mother|cousin|classmate|roommate)"

_PATTERNS: dict[str, tuple[str, ...]] = {
    "pay-third-party": (
        r"(?:转账|转款|转入|转到|转至|汇入|汇到|汇至|汇款|打款|打到|打入|存入|付款|支付|还款|还到|充值|缴纳)(?:到|至|进|入|给)?.{0,8}?"
        r"(?:个人|私人|对私|指定|安全|专用|监管|核查|验资|财务|专员|以下|下列|下方|如下|这个|此)的?(?:收款)?(?:银行)?" + _ACCOUNT,
        r"(?:到|至|进|入)(?:以下|下列|下方|如下|指定|个人|私人|安全)的?(?:收款)?(?:银行)?" + _ACCOUNT,
        r"(?:国家)?安全(?:账户|帐户)|(?:监管|核查|验资|清查|专员|对私)(?:账户|帐户)|私人(?:账户|帐户|账号|银行卡)"
        r"|指定的?(?:收款)?(?:账户|帐户|账号|帐号|银行卡)|(?:财务|专员|经理|客服|业务员)的?个人" + _ACCOUNT,
        # payment instructions: a payee's name next to an account label, or a full account number (alerts mask it: 尾号1234)
        r"(?<!对方)户名:?[\u4e00-\u9fff]{2,4}?(?:账号|帐号|卡号)",
        r"(?:账号|帐号|卡号|账户|帐户)(?:为|是)?:?\d{12,19}(?!\d)",
        r"缴纳.{0,6}?解冻(?:费|金)?|解冻(?:费|金)|(?:激活|验资|认证|刷流水|放款|审核|包装|通道|开卡)费|保证金|验资|刷流水|放款前.{0,8}?(?:缴纳|支付|交|转)",
        r"代(?:为|其|他|她)(?:还款|偿还|还清|垫付|支付|缴纳)|替(?:他|她|其)(?:还款|还钱|偿还|垫付|还)|帮(?:他|她|其)(?:还款|还钱|偿还|垫付|还清)",
        r"(?:微信|支付宝)(?:转账|转给|付款给|打款)(?!给?(?:你|您))|转账给(?:个人|他|她|专员|客服|财务|经理|业务员)|扫(?:描)?(?:下方|以下|此)?二维码(?:付款|支付|转账|还款|缴费)",
        r"\b(?:transfer|send|pay|deposit|wire|remit|move)\b(?: [\w$¥,.'’-]+){0,4}? (?:to|into) "
        r"(?:(?:my|the following|this|our (?:agent|officer|staff)['’]?s?)(?: (?:personal|private|bank|new))*"
        r"|(?:an?|the|my|this) (?:new )?(?:personal|private|safe|secure|designated|temporary|holding)(?: bank)?) (?:account|card|wallet)\b",
        r"\baccount (?:no\.?|number|#) ?:? ?\d{12,19}(?!\d)",
        r"\b(?:safe|secure|safety|designated|holding) (?:bank )?account\b|\baccount name ?:",
        r"\b(?:gift ?cards?|itunes cards?|google play cards?|steam cards?|bitcoin|btc|usdt|crypto(?:currency)? wallet|western union|moneygram)\b",
        r"\b(?:unfreez(?:e|ing)|unlock(?:ing)?|release|activation|processing|verification|upfront|advance) fees?\b",
        r"\b(?:pay|settle|repay|clear)\b(?: \w+){0,3}? (?:on (?:his|her|their) behalf|for (?:him|her|them|your (?:friend|relative|colleague)))\b",
        r"\b(?:pay|settle|repay|clear) (?:off )?(?:his|her|their|your (?:friend|relative|colleague)['’]s) (?:debt|loan|balance|arrears|dues)\b",
    ),
    "link": (
        r"(?<![a-z0-9])(?:https?|hxxps?|ftp)://" + _URL_CHAR + "+",
        r"(?<![a-z0-9.-])www\.[a-z0-9-]+(?:\.[a-z0-9-]+)+" + _URL_TAIL,
        r"(?<![a-z0-9@._-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?[.。])+(?:"
        + _TLDS
        + r")(?![a-z0-9-])(?::\d{2,5})?"
        + _URL_TAIL,
        r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?::\d{2,5})?" + _URL_TAIL,
    ),
    "erase-credit-record": (
        _ZX + r"(?:修复|洗白|优化|清理|清洗|消除|铲单|删除|美化|漂白|修改)",
        r"(?:修复|洗白|优化|清理|清洗|铲除|删除|消除|修改|美化|漂白)" + _YOU + r"?的?(?:个人)?" + _ZX,
        r"信用(?:记录)?(?:修复|洗白)|(?:修复|洗白)(?:你|您)?的?信用",
        r"逾期(?:记录|信息|数据)?(?:可以?|能|都能|均可|一键|快速|永久|帮你|帮您|包)?(?:消除|删除|清除|洗白|撤销|抹掉|抹去|清零|修复|铲除|去除)",
        r"(?:消除|删除|清除|撤销|抹掉|去除|铲除)" + _YOU + r"?的?(?:逾期|不良|黑名单|呆账|失信)(?:记录|信息)?",
        r"(?:不良|黑)(?:记录|名单)(?:可以?|能|一键|快速|永久)?(?:消除|删除|清除|洗白|撤销|修复)",
        r"帮" + _YOU + r"(?:把)?(?:征信|逾期|不良记录|记录)?(?:洗白|修复|消除|删除)",
        r"(?:注销|关闭|清空|取消)" + _YOU + r"?的?(?:校园贷|学生贷|校园账户|学生账户|大学生(?:贷款)?(?:账户|账号))",
        r"(?:校园贷|学生贷)(?:账户|账号|记录)?.{0,20}?(?:注销|关闭|清空)",
        r"注销.{0,30}?(?<!不)(?:影响|上报|污点|受损|降低|拉低)" + _YOU + r"?的?(?:个人)?(?:征信|信用)",
        r"注销.{0,30}?(?:否则|不然).{0,12}?(?:上|进|纳入|录入)(?:了)?(?:个人)?征信",
        # "若不取消每月将自动扣费并影响征信": a service or membership "cancelled or your credit suffers"
        r"(?:不|未)(?:及时)?(?:取消|关闭|注销|解除|退订).{0,40}?(?<!不)(?:影响|上报|污点|受损|降低|拉低)"
        + _YOU
        + r"?的?(?:个人)?(?:征信|信用)",
        r"\b(?:if you do not|if you don['’]t|unless you) (?:cancel|close|deactivate)\b.{0,60}?\bcredit (?:record|score|report|history)\b",
        r"\bcredit repair\b|\b(?:repair|fix|clean up|wipe|whiten) (?:your |bad )?credit\b",
        r"\b(?:remove|delete|erase|wipe|clean|clear)(?: out| up)?(?: all)? (?:your |the |any )?(?:late payments?|overdue (?:records?|history|payments?)"
        r"|negative (?:records?|marks?|items?|entries)|bad (?:records?|credit)|defaults?|credit (?:records?|history)|blacklist(?:ing)?)",
        r"\b(?:campus|student|college|university) loans?\b.{0,20}?\baccounts?\b.{0,25}?\b(?:cancell?ed|closed|cancel|close)\b",
        r"\b(?:cancel|close) (?:your )?(?:campus|student|college|university) loan accounts?\b",
        r"\b(?:must|needs? to|has to) be (?:closed|cancell?ed)\b.{0,40}?\bcredit (?:record|score|report|history)\b",
    ),
    "asks-secrets": (
        _ASK_ZH + r"(?:给?" + _US + r")?(?:一下)?" + _YOU + r"?的?(?:手机上?)?(?:收到的)?.{0,4}?" + _SECRET_ZH,
        _SECRET_ZH + r"[^勿不别]{0,6}?(?:发给|发送给|发到|告诉|告知|报给|回复给?|提供给|转发给|转告)" + _US,
        r"(?:将|把)" + _YOU + r"?(?:手机)?收到的.{0,6}?" + _SECRET_ZH,
        r"(?:将|把)" + _YOU + r"?(?:手机)?上?收到的.{0,8}?(?:告诉|告知|发给|发送给|报给|念给|读给|转发给|回复给?)" + _US,
        r"屏幕共享|共享屏幕|开启共享",
        r"\b(?:send|tell|give|provide|reply with|reply|share|forward|read out|read|confirm|enter|submit|upload|text|ask (?:you )?for)"
        r"(?:s|ing|ed)?\b(?: [\w'’-]+){0,4}? "
        r"(?:(?:verification|one-time|otp|security|sms|confirmation|authentication|\d-digit) (?:pass)?code|otp|passcode|password|pin"
        r"|card (?:number|details)|cvv|cvc|id (?:card )?number|identity card|bank details|login details"
        r"|(?:the |that )?code (?:that )?(?:we|i)(?: just| have)? (?:sent|texted))\b",
        r"\bscreen[- ]?shar(?:e|ing)\b|\bshare (?:your|the) screen\b",
    ),
    "threat": (
        r"(?:通知|告知|联系|发给|发送给|曝光给|群发给?|打给|打电话给|告诉|爆)" + _YOU + r"?的?(?:所有|全部)?的?" + _CIRCLE_ZH,
        r"(?:全网|公开)曝光|曝光" + _YOU + r"|挂网|爆通讯录|发(?:到|至)?" + _YOU + r"?的?朋友圈",
        r"上门(?:催收|拜访|走访|找你|找您|处理|核实)?|(?:到|去)" + _YOU + r"(?:家|单位|公司|学校)",
        r"拘留|逮捕|抓捕|抓(?:你|您|人)|坐牢|蹲监狱|通缉|警察(?:上门|会来)",
        r"弄死|打死|砍死|废了|打断" + _YOU + r"?的?腿|见血|让" + _YOU + r"好看|后果自负|小心" + _YOU + r"的?(?:家人|孩子|安全)"
        r"|人身安全|知道" + _YOU + r"(?:住|家)|找人(?:收拾|教训)|教训" + _YOU + r"|你等着"
        r"|(?:别想|休想|不得|没有?一天)(?:安生|安宁|好过|消停|太平)|鸡犬不宁|(?:没|没有)(?:好日子|好果子)|走着瞧",
        r"\b(?:contact|inform|notify|tell|call|message|text|email|visit|expose (?:you|this|it) to|send (?:it|this|them) to) (?:all )?(?:of )?your "
        r"(?:family|relatives|friends|contacts|employer|boss|manager|colleagues|co-?workers|workplace|company|neighbou?rs|school|parents|hr)\b",
        r"\bwe know where you (?:live|work)\b|\b(?:visit|come to|show up at) your (?:home|house|office|workplace|door)\b",
        r"\b(?:arrest(?:ed)?|jail(?:ed)?|prison|detain(?:ed)?)\b|\bpolice will (?:come|visit)\b",
        r"\b(?:hurt|harm|beat) you\b|\byou will regret\b|\bexpose you\b|\bshame you\b|\b(?:post|publish|share) your (?:photos?|pictures?|id|details)\b",
    ),
    "fake-authority": (
        # a suit "withdrawn" for a call or a payment: a court decides a case, and a plaintiff withdraws its own suit;
        # neither is arranged by the defendant ringing a "主任" (a fake court or collector's script)
        r"(?:撤诉|撤销起诉|撤案|销案).{0,20}?(?:联系|致电|拨打|添加|加|缴纳|转账|汇款)",
    ),
    "no-check-loan": (
        # a loan "without a credit check": licensed lenders must check it; this is how illegal lenders advertise
        r"不(?:看|查|上|审)征信|无视(?:黑白户|征信|逾期|负债|网黑)|无需(?:征信|查征信)|不查(?:负债|大数据|网黑)"
        r"|黑户(?:可|也能|也可以|秒)(?:贷|借|下款|批)|(?:黑白户|黑户|白户)(?:均可|都可|秒批|秒下|可下|可借)|征信(?:花|黑)了?也(?:能|可以|照样)(?:借|贷|下款)",
        r"\bno credit check\b|\bbad credit (?:ok|okay|accepted|welcome|no problem)\b|\bguaranteed (?:approval|loan)\b",
    ),
    "guaranteed-return": (
        # principal and a high return promised together: what no lawful investment may promise (illegal fund-raising,
        # and the "invest to clear your debts" scams); a bank's 理财 states an expected yield of a few per cent
        r"保本保息|保本(?:高|保)?(?:收益|回报|高息)|稳赚(?:不赔)?|包赚|只赚不赔|零风险(?:高)?(?:收益|回报|投资|理财)|无风险(?:高)?(?:收益|回报)"
        r"|(?:保证|承诺|确保)(?:收益|回报|盈利|翻倍)|原始股|(?:内部|内幕)(?:通道|消息|渠道|名额)[^。！？\n]{0,20}?(?:期货|黄金|外汇|股票|数字货币|虚拟币|比特币|usdt|理财|投资)"
        r"|(?:期货|黄金|外汇|股票|数字货币|虚拟币|比特币|usdt)[^。！？\n]{0,12}?(?:内部|内幕)(?:通道|消息|渠道|名额)|(?:回报|收益|利润|返利|分红)(?:率)?(?:高达|可达|达到?|就有|能有|有)?(?:[2-9]\d|\d{3})%",
        r"\bguaranteed (?:returns?|profits?|income|payouts?|gains?)\b|\brisk[- ]free (?:returns?|profits?|investment|income)\b"
        r"|\bdouble your (?:money|investment|savings)\b",
    ),
    "abuse": (
        # what no collector may call a debtor (Art. 68: no abuse); "垃圾短信" and "spam" are not insults
        r"老赖|不得好死|死全家|全家(?:都)?(?:去死|死光|不得好死)|去死|找死|人渣|畜生|王八蛋|狗东西|狗杂种|贱人|贱货|傻逼|傻b|煞笔|脑残"
        r"|(?<![a-z])sb(?![a-z])|你(?:这个|这种|个)?(?:垃圾|废物|无赖|赖皮|骗子)(?!短信|信息|电话|邮件)|(?:不还|赖账|欠债)的(?:东西|垃圾|废物|人渣|玩意)"
        r"|不要脸|他妈的?|(?<![a-z])tmd(?![a-z])|妈的|操你|草你|日你",
        r"\b(?:deadbeat|scumbag|bitch|bastard|asshole|moron|idiot)s?\b|\bpiece of (?:shit|trash|garbage)\b|\bf+u+c+k+(?:ing)?\b",
    ),
    "borrow-to-repay": (
        # borrowing anew to pay (以贷养贷): what a collector of an illegal lender pushes, never a lawful one
        r"以贷养贷|借新还旧|拆东墙补西墙|撸口子",
        r"(?:别的|其他|其它|另外的?|别家)的?(?:平台|网贷|app|软件|口子|贷款)(?:上)?(?:借|贷|撸)",
        r"(?:网贷|贷款app|借钱app|借贷app|小贷)(?:上)?(?:借|贷)(?:钱|点|一笔|出来)?(?:先|来)?还",
        r"下载.{0,20}?(?:借|贷)(?:出来|到钱|点钱|一笔)(?:先|来)?还",
        r"(?:去|到|在)[^我你]{0,30}?(?:平台|app|软件|网贷)(?:上)?(?:借|贷)(?:款|钱|点|一笔)?(?:先|来)?还(?:清|上|给)?(?:我们|我司|欠款|这笔)",
        r"\b(?:borrow|take (?:out )?(?:a |another |a new )?loan|get (?:a |another |a new )?loan)\b.{0,40}?\b(?:from|with|on) (?:another|other|a different) "
        r"(?:lender|app|platform|company)\b|\bpayday loan to (?:pay|repay)\b",
    ),
    "cancel-lure": (
        r"(?:保障|会员|保险|续费|扣费|扣款|分期).{0,40}?(?:如需|若需|需要|请|如非本人操作请?)?(?:取消|关闭|解除).{0,20}?"
        r"(?:致电|拨打|联系(?:人工)?客服|回复(?!t|td)|添加)",
        r"(?:如需|若需|需要|请)?(?:取消|关闭|解除).{0,20}?(?:致电|拨打|联系(?:人工)?客服).{0,60}?(?:保障|会员|扣费|扣款|续费)",
        r"(?:保障|会员|保险|续费|扣费|扣款).{0,40}?(?:致电|拨打|联系(?:人工)?客服).{0,20}?(?:取消|关闭|解除)",
        r"\b(?:subscription|membership|renewal|auto-?renew(?:al)?|will be charged)\b.{0,60}?\bcancel\b.{0,30}?\b(?:call|contact)\b",
        # a card or account "restricted" until you call the number in the message (冒充银联、银行客服)
        r"(?:冻结|限制使用|限制交易|被限制|停用|暂停使用|异常).{0,40}?(?:拨打|致电|联系(?:人工)?客服).{0,30}?(?:解除|解冻|恢复|激活)",
        r"\b(?:suspended|locked|frozen|restricted)\b.{0,60}?\bcall\b.{0,30}?\b(?:unlock|restore|reactivate|lift)\b",
        # money back (a refund, a flight's compensation, a claim) through the number in the message: the fake
        # customer service of a cancelled flight or a faulty order, which then has you "verify" a transfer
        r"(?:退款|退费|赔付|补偿|理赔|赔偿|退还|返还)[^。！？\n]{0,40}?(?:致电|拨打|联系(?:人工)?客服|添加|加(?:微信|qq|客服))",
        r"(?:致电|拨打|联系(?:人工)?客服|添加)[^。！？\n]{0,40}?(?:退款|退费|赔付|补偿|理赔|赔偿)",
        r"\b(?:refund|compensation|reimbursement|claim)\b.{0,60}?\b(?:call|contact|text|whatsapp)\b",
        r"\b(?:call|contact)\b.{0,40}?\b(?:refund|compensation|reimbursement)\b",
    ),
    "legal-pressure": (
        # what is threatened, not the name of a court or a law firm: a court's mediation notice or a firm a bank
        # entrusted names itself, and a threat always says what will happen (起诉, 立案, 移交法院, ...)
        r"起诉|诉讼|(?:提交|移交|上报|报送|递交|交由|告上|告到)(?:至|到|给)?(?:当地)?(?:人民)?法院|法院(?:传票|判决|强制|执行|查封|冻结|拘留|起诉)"
        r"|律师函|立案|刑事|犯罪|涉嫌|恶意透支|诈骗罪|传票|强制执行|司法(?:程序|部门|途径|处理)"
        r"|法务(?:部|中心)|失信(?:被执行人|人员|名单)|仲裁|移交(?:司法|法务|公安|检察|法院|律师)|法律(?:责任|程序|途径|手段|后果)"
        r"|追究.{0,4}?责任|(?:冻结|查封|扣押)(?:了)?" + _YOU + r"?的?(?:名下)?(?:所有)?(?:资产|财产|房产|银行卡|账户|工资)",
        r"\blaw ?suits?\b|\bsue(?:d)? you\b|\blegal (?:action|proceedings?|steps|measures|department|filing)\b|\bsummons\b"
        r"|\b(?:take you|taken|go|going|referred|forwarded|sent) to court\b"
        r"|\b(?:forward|refer|send|take|pass)(?:s|ed|ing)? (?:the |your |this )?(?:case|matter|file|account|debt) to (?:the )?court\b|\bcourt (?:action|case|date|hearing|order|proceedings?|judg(?:e)?ments?)\b"
        r"|\blawyer['’]s letter\b|\bletter from (?:a|our) (?:lawyer|attorney)s?\b|\bcriminal(?:ly)?\b|\bprosecut\w*|\bwarrant\b|\blitigation\b"
        r"|\barbitration\b",
    ),
    "urgency": (
        # "请在10分钟内输入" (a one-time code) and "请在2小时内完成确认" (a bank's own confirmation) are not pressure
        r"(?:请|务必|须|必须|需|需要|限)(?:在|于)?"
        + _NUM_ZH
        + r"个?(?:小时|钟头|分钟)之?内(?!输入|有效|使用|填写|完成(?:验证|认证|确认))",
        _NUM_ZH
        + r"个?(?:小时|钟头|分钟)之?内(?:未|没有?|不)?(?:处理|还款|还清|结清|联系|回复|回电|缴|转账|付款|支付|完成(?!验证|认证|确认)|办理|注销|解决|否则)",
        r"今[天日晚](?:之内|内|\d{1,2}(?::\d{2})?点?(?:\d{1,2}分)?(?:之|以)?前|[上下中]午(?:\d{1,2}点)?(?:之|以)?前|晚上?(?:\d{1,2}点)?(?:之|以)?前|下班前)",
        r"今[天日晚]必须(?:结清|还清|还款|还上|处理|到账)|当天(?:之?内|\d{1,2}点前)|(?:最后|最终)(?:一次)?(?:通知|警告|通牒|期限|机会|催告)|过时不候|限时处理|倒计时|(?:立即|马上|立刻)处理|紧急通知",
        r"\bwithin (?:the next )?(?:\d{1,3}|one|two|three|four|five|six|twelve|twenty[- ]four|forty[- ]eight|a few|an?) (?:hours?|hrs?|minutes?|mins?)\b",
        r"\b(?:final|last) (?:notice|warning|demand|reminder|chance)\b",
        r"\b(?:by|before) (?:\d{1,2}(?::\d{2})? ?(?:am|pm)? )?(?:today|tonight|end of (?:the )?day)\b|\btoday (?:before|by) \d{1,2}(?::\d{2})?(?: ?[ap]m)?",
        r"\b(?:act|pay|respond|call) (?:now|immediately)\b|\bimmediate(?:ly)? (?:payment|action|response)\b|\burgent\b"
        r"|\bexpires? (?:today|tonight|in \d+ (?:hours?|minutes?))\b",
    ),
    "non-official-sender": (
        r"(?<![\d+])(?:(?:\+|00)?86-?)?1[3-9]\d-?\d{4}-?\d{4}(?!\d)",
        r"(?:加|添加|联系|私聊|咨询)(?:我|[\u4e00-\u9fff]{0,2}?(?:专员|客服|老师|经理|主管|顾问|律师|财务))?的?(?:企业)?(?:微信|威信|薇信|v信|vx|wx|qq|扣扣)",
        r"(?:微信|威信|薇信|v信|(?<![a-z0-9])(?:vx|wx|qq))(?:号)?:?[a-z0-9_-]{5,}",
        r"加(?:v信|vx|wx|v|q|微)(?![a-z])(?::?[a-z0-9_-]{5,})?",
        r"\+(?!86)\d{8,15}(?!\d)",
        r"\b(?:whatsapp|telegram|wechat|viber)\b",
    ),
    "third-party-contact": (
        r"(?:将|把)?"
        + _YOU
        + r"(?:设为|设置为|列为|填写为|填为|留为|作为|添加为|是)(?:了)?(?:他|她|其|[\u4e00-\u9fff]{2,4}?的)?的?(?:紧急)?联系人",
        _YOU
        + r"的?"
        + _RELATIVE_ZH
        + r"(?:(?![你您我])[\u4e00-\u9fff·]){0,3}?(?:在|于)?(?:我司|我平台|本平台|我行|平台)?(?:的|有)?"
        r"(?:借款|贷款|欠款|欠费|借了|逾期|拖欠|未还|网贷)",
        r"(?:他|她)(?:的|在)(?:我司|我平台|平台)?的?(?:借款|贷款|欠款)",
        r"代(?:为|其|他|她)(?:还款|偿还|还清|处理|转告|通知|督促)|(?:转告|督促|通知)(?:他|她|其)(?:尽快|立即|马上)?(?:还款|处理|还清)",
        r"\byour "
        + _RELATIVE_EN
        + r"s?\b(?: [a-z][\w'’-]*){0,2}? (?:has|have|had|is|was|took|borrowed|owes|listed|named|applied|gave)\b",
        r"\b(?:listed|named|put|gave|added|registered|entered) you as (?:an? |his |her |their |the )?(?:emergency )?(?:contact|reference|guarantor)\b",
        r"\b(?:you are|you're) (?:his|her|their) (?:emergency )?(?:contact|reference)\b|\bon (?:his|her|their) behalf\b"
        r"|\btell (?:him|her|them) to (?:pay|repay|call|contact)\b",
    ),
}
_COMPILED: tuple[tuple[str, re.Pattern[str]], ...] = tuple((code, re.compile(p)) for code, ps in _PATTERNS.items() for p in ps)
_NEVER_NEGATED = frozenset({"link", "abuse"})  # "不得好死" holds "不得"

# A court case number (案号) such as "(2025)沪0115民初12345号", or "case no. 2025-CV-1234".
_CASE_NUMBER = re.compile(
    r"[(\[〔【]\s?(?:19|20)\d{2}\s?[)\]〕】]\s?[\u4e00-\u9fff]{1,2}\d{0,4}\s?[\u4e00-\u9fff]{1,4}\s?\d{1,7}\s?号"
    r"|\bcase (?:no\.?|number|#|ref(?:erence)?)\s?[:.]?\s?[a-z0-9][a-z0-9/-]{3,}"
)


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def find_spans(text: str) -> dict[str, list[tuple[int, int]]]:
    """Every text hit (the precise patterns and the lexicon's rules), by flag code, as merged (start, end) offsets into ``text``."""
    norm = normalise(text)
    found: list[tuple[str, int, int]] = []
    for code, pattern in _COMPILED:
        for m in pattern.finditer(norm.text):
            if m.end() > m.start():
                found.append((code, m.start(), m.end()))
    precise = {(code, a, b) for code, a, b in found}
    concept_hits = _concept_hits(norm)
    money_talk = concept_hits.pop("_money-talk", None) is not None
    for code, spans in concept_hits.items():
        for a, b in spans:
            # a precise pattern's hit is the tighter quote: a rule's hit over it adds nothing
            if not any(c == code and pa < b and a < pb for c, pa, pb in precise):
                found.append((code, a, b))
    hits: dict[str, list[tuple[int, int]]] = {}
    for code, a, b in found:
        start, end = norm.span(a, b)
        if code not in _NEVER_NEGATED and _negated(text, start, end):
            continue
        if code == "link" and _merchant_name(text[start:end]):
            continue
        hits.setdefault(code, []).append((start, end))
    if "legal-pressure" in hits and _CASE_NUMBER.search(norm.text):
        del hits["legal-pressure"]  # a case number can be checked with the court: advice covers that, not a flag
    if "link" in hits and money_talk:
        # a link in a message about a debt, a loan or an account: to pay, sign or log in
        hits.setdefault("payment-link", []).extend(hits.pop("link"))
    return {code: _merge(spans) for code, spans in hits.items()}
