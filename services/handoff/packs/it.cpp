// Italian. Apostrophes are read as absent: "c'è" is written "ce".
#include "services/handoff/language_pack.h"

namespace sb::handoff {

const LanguagePack& pack_it() {
  static const LanguagePack pack{
      .code = "it",
      .urgent = {"urgente", "urgenza", "emergenza", "al piu presto"},
      .danger = {"incendio", "fuoco", "fuga di gas", "puzza di gas", "odore di gas",
                 "allagato", "allagamento", "alluvione", "ferito", "ferita", "ambulanza",
                 "sanguina"},
      .security = {"carta rubata", "mi hanno rubato", "ho perso la carta", "carta smarrita",
                   "frode", "truffa", "truffato", "hackerato", "account violato",
                   "bloccare la carta", "bloccate la carta", "addebito non autorizzato",
                   "pagamento non riconosciuto"},
      .outage = {"senza corrente", "manca la corrente", "blackout", "sistema bloccato",
                 "sistema in tilt", "il pos non funziona", "non funziona il pos"},
      .ask_for_human = {"parlare con un operatore", "parlare con una persona",
                        "parlare con qualcuno", "un operatore", "operatore umano",
                        "persona reale", "persona vera", "parlare con un umano",
                        "parlare con un consulente", "assistente umano",
                        "parlare con un addetto", "^operatore$"},
      .cancel = {"disdire", "disdetta", "annullare labbonamento", "cancellare labbonamento",
                 "annullare abbonamento", "chiudere il conto", "chiudere il mio account",
                 "eliminare il mio account", "recedere dal contratto"},
      .refund = {"rimborso", "rimborsare", "rimborsate", "soldi indietro",
                 "addebitato due volte", "restituzione dei soldi"},
      .complaint = {"reclamo", "lamentela", "avvocato", "vie legali", "azione legale"},
      .frustration = {"terza volta", "quante volte", "vergogna", "vergognoso", "pessimo",
                      "incompetenti", "ridicolo", "assurdo", "sono stufo", "sono stufa",
                      "che schifo"},
      .negation_before = {"non voglio", "non ho bisogno", "non serve", "non e necessario",
                          "non devo", "non intendo"},
      .negation_after = {},
      .calm = {"non e urgente", "nessuna fretta", "senza fretta", "con calma", "quando potete",
               "niente di urgente"},
      .narrative = {"ha avuto un", "ha avuto una", "ho avuto un", "ho avuto una", "ce stata",
                    "ce stato"},
      .thanks = {"grazie", "grazie mille", "perfetto", "ottimo"},
      .marketing = {"clicca qui", "offerta", "sconto", "promozione", "acquista ora"},
  };
  return pack;
}

}  // namespace sb::handoff
