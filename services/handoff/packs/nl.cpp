// Dutch.
#include "services/handoff/language_pack.h"

namespace sb::handoff {

const LanguagePack& pack_nl() {
  static const LanguagePack pack{
      .code = "nl",
      .urgent = {"dringend", "spoed", "noodgeval", "zo snel mogelijk"},
      .danger = {"er is brand", "brand in", "in brand", "gaslek", "ruik gas", "gaslucht",
                 "overstroming", "ondergelopen", "gewond", "bloedt"},
      .security = {"pas gestolen", "kaart gestolen", "pas kwijt", "kaart kwijt",
                   "bankpas kwijt", "fraude", "oplichting", "opgelicht", "gehackt",
                   "blokkeer mijn pas", "pas blokkeren", "onbekende afschrijving"},
      .outage = {"geen stroom", "stroomstoring", "pin werkt niet", "pinautomaat werkt niet",
                 "systeem ligt eruit", "kassa werkt niet", "landelijke storing"},
      .ask_for_human = {"met een medewerker", "met een mens", "echte persoon", "echt persoon",
                        "echt mens", "met iemand spreken", "met iemand praten",
                        "iemand spreken", "klantenservice spreken", "een medewerker",
                        "^medewerker$", "doorverbinden"},
      .cancel = {"abonnement opzeggen", "opzeggen", "opzegging", "account verwijderen",
                 "contract beeindigen"},
      .refund = {"geld terug", "terugbetaling", "terugstorting", "restitutie",
                 "dubbel afgeschreven"},
      .complaint = {"klacht*", "advocaat", "juridische stappen", "geschillencommissie"},
      .frustration = {"derde keer", "hoe vaak", "waardeloos", "belachelijk", "schandalig",
                      "idioten", "nutteloos", "ben het zat"},
      .negation_before = {"wil niet", "hoef niet", "niet nodig", "geen behoefte", "wil geen",
                          "hoeft niet"},
      .negation_after = {},
      .negation_next = {"geen"},
      .calm = {"geen haast", "niet dringend", "geen spoed", "heeft geen haast"},
      .narrative = {"had een", "hadden een"},
      .thanks = {"bedankt", "dank je", "dank u", "dankjewel", "dankuwel", "top"},
      .marketing = {"klik hier", "aanbieding", "korting", "gratis verzending"},
  };
  return pack;
}

}  // namespace sb::handoff
