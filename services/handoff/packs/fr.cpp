// French. Apostrophes are read as absent: "j'ai" is written "jai".
#include "services/handoff/language_pack.h"

namespace sb::handoff {

const LanguagePack& pack_fr() {
  static const LanguagePack pack{
      .code = "fr",
      .urgent = {"urgent", "urgence", "urgente", "urgemment", "au plus vite"},
      .danger = {"incendie", "au feu", "en feu", "fuite de gaz", "odeur de gaz",
                 "ca sent le gaz", "inondation", "inonde", "inondee", "degat des eaux",
                 "degats des eaux", "blesse", "blessee", "ambulance", "saigne"},
      .security = {"carte volee", "carte perdue", "on ma vole", "vol de carte",
                   "jai perdu ma carte", "fraude", "arnaque", "escroquerie", "pirate",
                   "compte pirate", "bloquer ma carte", "faire opposition",
                   "transaction non autorisee", "paiement non autorise"},
      .outage = {"caisse en panne", "plus delectricite", "pas delectricite", "coupure de courant",
                 "coupure delectricite", "terminal de paiement en panne",
                 "panne de courant", "panne generale"},
      .ask_for_human = {"parler a quelquun", "parler a un humain", "parler a une personne",
                        "vraie personne", "un conseiller", "parler a un conseiller",
                        "un agent humain", "parler a un agent", "un vrai humain",
                        "une vraie personne", "un operateur", "parler au service client",
                        "mettre en relation", "joindre un conseiller", "conseiller humain",
                        "^humain$", "^conseiller$"},
      .cancel = {"resilier", "resiliation", "annuler mon abonnement", "annuler labonnement",
                 "supprimer mon compte", "fermer mon compte", "me desabonner"},
      .refund = {"remboursement", "rembourser", "remboursez", "preleve deux fois",
                 "debite deux fois"},
      .complaint = {"reclamation", "plainte", "avocat", "porter plainte", "action en justice",
                    "mise en demeure"},
      .frustration = {"troisieme fois", "combien de fois", "inadmissible", "honteux",
                      "scandaleux", "cest nul", "incompetent*", "ras le bol", "jen ai marre",
                      "lamentable"},
      .negation_before = {"ne veux pas", "ne souhaite pas", "pas besoin", "inutile de",
                          "ne vais pas", "nai pas besoin", "ne pas"},
      .negation_after = {},
      .calm = {"pas urgent", "pas presse", "pas pressee", "rien durgent", "sans urgence",
               "quand vous pouvez", "pas de rush"},
      .narrative = {"jai eu", "a eu", "avait eu", "il y a eu"},
      .thanks = {"merci", "merci beaucoup", "super", "genial"},
      .marketing = {"cliquez ici", "promo", "offre speciale", "soldes", "achetez maintenant"},
  };
  return pack;
}

}  // namespace sb::handoff
