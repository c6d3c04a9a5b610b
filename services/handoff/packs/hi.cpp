// Hindi, in Devanagari and in the Latin script (Hinglish) most people chat in. Negation
// follows the verb ("cancel nahi karna"); the nukta is ignored ("ज़रूरत" = "जरूरत").
#include "services/handoff/language_pack.h"

namespace sb::handoff {

const LanguagePack& pack_hi() {
  static const LanguagePack pack{
      .code = "hi",
      .urgent = {"turant", "bahut zaruri", "bahut jaruri", "तुरंत", "फौरन", "अर्जेंट",
                 "आपातकाल", "इमरजेंसी", "बहुत जरूरी"},
      .danger = {"aag lag gayi", "aag lagi", "gas leak ho", "chot lagi", "khoon beh",
                 "आग लग", "गैस लीक", "चोट लगी", "पानी भर गया", "बाढ़", "एम्बुलेंस"},
      .security = {"card chori", "card kho gaya", "card gum ho", "fraud ho gaya",
                   "dhokha hua", "account hack", "कार्ड चोरी", "कार्ड खो गया",
                   "धोखाधड़ी", "फ्रॉड", "अकाउंट हैक", "कार्ड ब्लॉक करो"},
      .outage = {"bijli nahi", "light nahi hai", "system band hai", "payment nahi ho raha",
                 "बिजली नहीं", "सिस्टम बंद"},
      .ask_for_human = {"insaan se baat", "insan se baat", "kisi insaan se", "agent se baat",
                        "customer care se baat", "executive se baat", "kisi se baat karni",
                        "kisi se baat karwao", "real person se", "manager se baat",
                        "bande se baat", "इंसान से बात", "किसी इंसान से", "एजेंट से बात",
                        "कस्टमर केयर से बात", "किसी से बात कराइए", "मैनेजर से बात"},
      .cancel = {"cancel karna hai", "cancel kar do", "cancel karo", "band karna hai",
                 "subscription band", "रद्द करना", "कैंसल करना", "कैंसिल करना"},
      .refund = {"paisa wapas", "paise wapas", "paisa vapas", "paise vapas", "पैसे वापस",
                 "रिफंड"},
      .complaint = {"shikayat", "consumer court", "वकील", "शिकायत", "उपभोक्ता अदालत"},
      .frustration = {"teesri baar", "tisri baar", "kitni baar", "bakwas", "bekaar",
                      "ghatiya", "बकवास", "बेकार", "घटिया", "कितनी बार", "तीसरी बार"},
      .negation_before = {},
      .negation_after = {"nahi karna", "nahi chahiye", "nahin chahiye", "zarurat nahi",
                         "nahi karni", "नहीं करना", "नहीं चाहिए", "जरूरत नहीं"},
      .calm = {"jaldi nahi", "koi jaldi nahi", "urgent nahi", "जल्दी नहीं", "कोई जल्दी नहीं"},
      .narrative = {},
      .thanks = {"dhanyavaad", "dhanyawad", "shukriya", "धन्यवाद", "शुक्रिया"},
      .marketing = {"click karein", "क्लिक करें", "ऑफर"},
  };
  return pack;
}

}  // namespace sb::handoff
