// Polish. Diacritics fold ("człowiekiem" = "czlowiekiem"), as most people type on phones.
#include "services/handoff/language_pack.h"

namespace sb::handoff {

const LanguagePack& pack_pl() {
  static const LanguagePack pack{
      .code = "pl",
      .urgent = {"pilne", "pilnie", "natychmiast", "nagly wypadek", "nagla sprawa"},
      .danger = {"pozar", "pali sie", "wyciek gazu", "czuc gaz", "zalalo", "powodz", "ranny",
                 "ranna", "karetk*", "krwawi"},
      .security = {"skradziono karte", "ukradli karte", "ukradziono mi", "zgubilem karte",
                   "zgubilam karte", "kradziez karty", "oszustw*", "oszust", "oszusci",
                   "wlamanie na konto", "wlamal sie", "zablokuj karte", "zablokujcie karte",
                   "nieautoryzowan*"},
      .outage = {"brak pradu", "nie ma pradu", "awaria", "terminal nie dziala",
                 "system nie dziala", "nie mozemy przyjmowac platnosci"},
      .ask_for_human = {"z konsultantem", "z prawdziwym czlowiekiem", "z czlowiekiem",
                        "z zywym czlowiekiem", "z pracownikiem", "z doradca", "z operatorem",
                        "polaczyc z konsultantem", "polacz z konsultantem",
                        "porozmawiac z kims", "rozmawiac z kims", "prawdziwa osoba",
                        "^konsultant$"},
      .cancel = {"anulowac subskrypcje", "anuluj subskrypcje", "rezygnacja", "rezygnuje",
                 "wypowiedziec umowe", "rozwiazac umowe", "zamknac konto", "usunac konto"},
      .refund = {"zwrot pieniedzy", "zwrot srodkow", "zwrotu pieniedzy", "oddajcie pieniadze",
                 "pobrano dwa razy"},
      .complaint = {"reklamacj*", "skarg*", "prawnik*", "adwokat*", "do sadu",
                    "rzecznik konsumentow"},
      .frustration = {"trzeci raz", "ktory raz", "ile razy", "beznadziejn*", "zenada",
                      "skandal", "idioci", "bezuzyteczn*", "mam dosc"},
      .negation_before = {"nie chce", "nie potrzebuje", "nie trzeba", "nie musze",
                          "nie zamierzam", "nie ma potrzeby"},
      .negation_after = {},
      .negation_next = {"nie"},
      .calm = {"nie pilne", "nie jest pilne", "bez pospiechu", "nie ma pospiechu",
               "nic pilnego"},
      .narrative = {"miala", "mial", "mielismy", "mialem", "mialam"},
      .thanks = {"dziekuje", "dzieki", "dzieki wielkie"},
      .marketing = {"kliknij tutaj", "promocja", "rabat", "kod rabatowy"},
  };
  return pack;
}

}  // namespace sb::handoff
