// Chinese (simplified; the traditional forms of the key phrases are listed too). Written
// without spaces: these patterns are found as substrings.
#include "services/handoff/language_pack.h"

namespace sb::handoff {

const LanguagePack& pack_zh() {
  static const LanguagePack pack{
      .code = "zh",
      .urgent = {"紧急", "緊急", "急事", "十万火急", "加急"},
      .danger = {"着火", "火灾", "火災", "失火", "煤气泄漏", "燃气泄漏", "漏气", "漏水",
                 "水管爆", "受伤", "受傷", "流血", "救护车"},
      .security = {"被盗", "被盜", "卡丢了", "银行卡丢", "丢了卡", "盗刷", "诈骗", "詐騙",
                   "被骗", "欺诈", "账号被盗", "被黑", "冻结我的卡", "挂失"},
      .outage = {"停电", "停電", "系统崩溃", "无法收款", "收不了款", "系统瘫痪"},
      .ask_for_human = {"转人工", "轉人工", "人工客服", "人工服务", "真人客服", "找客服",
                        "连接客服", "找人工", "接人工", "我要人工", "人工坐席", "真人"},
      .cancel = {"取消订阅", "退订", "注销账号", "注销账户", "取消会员", "解约"},
      .refund = {"退款", "退钱", "扣了两次", "重复扣款"},
      .complaint = {"投诉", "投訴", "律师", "起诉", "消协", "12315"},
      .frustration = {"第三次问", "问了三遍", "说了多少遍", "问了好几次", "垃圾", "废物",
                      "太差了", "气死"},
      .negation_before = {"不想", "不要", "不用", "不需要", "没必要", "无需"},
      .negation_after = {},
      .calm = {"不急", "不着急", "不紧急", "不用急", "慢慢来"},
      .narrative = {},
      .thanks = {"谢谢", "謝謝", "感谢", "多谢"},
      .marketing = {"点击", "优惠", "促销", "限时", "特价"},
  };
  return pack;
}

}  // namespace sb::handoff
