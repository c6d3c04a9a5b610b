// German.
#include "services/handoff/language_pack.h"

namespace sb::handoff {

const LanguagePack& pack_de() {
  static const LanguagePack pack{
      .code = "de",
      .urgent = {"dringend", "notfall", "eilig", "schnellstmoglich"},
      .danger = {"es brennt", "feuer", "brand im", "gasleck", "gasgeruch", "riecht nach gas",
                 "uberschwemmung", "uberschwemmt", "wasserschaden", "rohrbruch", "verletzt",
                 "krankenwagen", "blutet"},
      .security = {"karte gestohlen", "karte wurde gestohlen", "karte verloren",
                   "geldborse gestohlen", "betrug", "betruger", "gehackt", "konto gehackt",
                   "karte sperren", "sperren sie meine karte", "unbefugte abbuchung",
                   "nicht autorisiert"},
      .outage = {"kein strom", "stromausfall", "kartenterminal geht nicht",
                 "kartenterminal funktioniert nicht", "kasse funktioniert nicht",
                 "system ist ausgefallen", "system ausgefallen", "totalausfall"},
      .ask_for_human = {"mit einem menschen", "mit einem mitarbeiter", "mit einer person",
                        "echten menschen", "echte person", "einen mitarbeiter",
                        "mitarbeiter sprechen", "kundenberater", "mit jemandem sprechen",
                        "mit einem berater", "kundenservice sprechen", "einen menschen",
                        "mit einer echten", "^mensch$", "^mitarbeiter$"},
      .cancel = {"kundigen", "kundigung", "abo kundigen", "vertrag kundigen", "konto loschen",
                 "konto schliessen"},
      .refund = {"ruckerstattung", "geld zuruck", "erstattung", "doppelt abgebucht",
                 "ruckzahlung"},
      .complaint = {"beschwerde", "anwalt", "rechtsanwalt", "verbraucherzentrale",
                    "rechtliche schritte"},
      .frustration = {"zum dritten mal", "wie oft noch", "unverschamt", "frechheit", "unfahig",
                      "nutzlos", "katastrophe", "lacherlich", "idioten", "es reicht"},
      .negation_before = {"will nicht", "mochte nicht", "nicht notig", "kein bedarf",
                          "brauche keine", "brauche keinen", "muss nicht"},
      .negation_after = {},
      .negation_next = {"kein", "keine"},
      .calm = {"nicht dringend", "keine eile", "kein stress", "eilt nicht", "hat zeit",
               "kein notfall"},
      .narrative = {"hatte einen", "hatte eine", "hatten einen", "hatten eine",
                    "gab es einen", "gab es eine"},
      .thanks = {"danke", "vielen dank", "dankeschon", "super"},
      .marketing = {"klicken sie hier", "jetzt kaufen", "angebot", "rabatt", "gutschein"},
  };
  return pack;
}

}  // namespace sb::handoff
