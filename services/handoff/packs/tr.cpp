// Turkish. Dotted and dotless i fold to "i", so "ACİL" and "acil", "ışık" and "isik" meet;
// negation follows the verb ("iptal etmek istemiyorum").
#include "services/handoff/language_pack.h"

namespace sb::handoff {

const LanguagePack& pack_tr() {
  static const LanguagePack pack{
      .code = "tr",
      .urgent = {"acil", "acilen", "ivedi", "hemen lutfen"},
      .danger = {"yangin", "gaz kacagi", "gaz kokusu", "su basti", "sel basti", "yaralandi",
                 "yarali", "ambulans", "duman var", "kan kaybediyor"},
      .security = {"kartim calindi", "kart calindi", "kartimi kaybettim", "kartim kayboldu",
                   "dolandirildim", "dolandiricilik", "hesabim hacklendi", "hesabim calindi",
                   "izinsiz islem", "kartimi bloke", "kartimi kapatin"},
      .outage = {"elektrik yok", "elektrikler kesildi", "elektrik kesintisi", "sistem coktu",
                 "odeme alamiyoruz", "pos calismiyor", "pos cihazi calismiyor",
                 "kasa calismiyor"},
      .ask_for_human = {"musteri temsilcisi", "temsilciyle gorusmek", "temsilci ile gorusmek",
                        "canli destek", "gercek bir insan", "insanla konusmak",
                        "biriyle konusmak", "yetkiliyle gorusmek", "yetkili ile gorusmek",
                        "operatore bagla", "operatore baglayin", "^operator$", "^temsilci$",
                        "yetkili biri"},
      .cancel = {"iptal etmek istiyorum", "aboneligimi iptal", "uyeligimi iptal",
                 "hesabimi kapat", "sozlesmemi feshetmek", "hattimi iptal", "iptal etmek"},
      .refund = {"iade*", "paramı geri", "para iadesi", "geri odeme", "iki kez cekildi",
                 "iki kere cekildi"},
      .complaint = {"sikayet*", "avukat*", "tuketici hakem", "dava acacagim"},
      .frustration = {"ucuncu kez", "kac kere", "kac kez", "berbat", "rezalet", "sacmalik",
                      "ise yaramaz", "beceriksiz", "yeter artik"},
      .negation_before = {},
      .negation_after = {"istemiyorum", "istemiyoruz", "gerek yok", "gerekmiyor",
                         "ihtiyacim yok"},
      .calm = {"acil degil", "acele yok", "acelesi yok", "musait oldugunuzda"},
      .narrative = {},
      .thanks = {"tesekkurler", "tesekkur ederim", "sagol", "sagolun", "cok sag olun",
                 "eyvallah"},
      .marketing = {"tiklayin", "kampanya", "indirim kodu", "firsati kacirmayin"},
  };
  return pack;
}

}  // namespace sb::handoff
