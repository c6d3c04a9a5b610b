// Spanish (Spain and Latin America).
#include "services/handoff/language_pack.h"

namespace sb::handoff {

const LanguagePack& pack_es() {
  static const LanguagePack pack{
      .code = "es",
      .urgent = {"urgente", "urgencia", "emergencia", "lo antes posible", "cuanto antes"},
      .danger = {"incendio", "fuego", "se quema", "fuga de gas", "huele a gas", "olor a gas",
                 "inundacion", "se inundo", "inundado", "inundada", "herido", "herida",
                 "lesionado", "ambulancia", "sangrando"},
      .security = {"me robaron la tarjeta", "robaron mi tarjeta", "tarjeta robada",
                   "robo de tarjeta", "perdi mi tarjeta", "perdi la tarjeta", "tarjeta perdida",
                   "fraude", "estafa", "me estafaron", "hackearon", "hackeada", "hackeado",
                   "bloquear mi tarjeta", "bloqueen mi tarjeta", "cargo no reconocido",
                   "compra no reconocida", "cargos no autorizados"},
      .outage = {"sin luz", "sin electricidad", "corte de luz", "apagon", "se cayo el sistema",
                 "sistema caido", "no funciona el datafono", "no podemos cobrar",
                 "caida del servicio"},
      .ask_for_human = {"hablar con una persona", "hablar con un humano", "hablar con alguien",
                        "hablar con un agente", "persona real", "agente humano", "un operador",
                        "hablar con un asesor", "con un asesor", "hablar con el encargado",
                        "hablar con un ejecutivo", "pasame con", "comunicarme con una persona",
                        "^asesor$", "^humano$", "^agente$"},
      .cancel = {"cancelar mi suscripcion", "cancelar la suscripcion", "cancelar suscripcion",
                 "darme de baja", "dar de baja", "cancelar mi cuenta", "cerrar mi cuenta",
                 "anular mi contrato", "cancelar mi contrato", "cancelar mi plan"},
      .refund = {"reembolso", "reembolsar", "reembolsen", "devolucion del dinero",
                 "devuelvan mi dinero", "devolver el dinero", "devuelvanme el dinero",
                 "me cobraron dos veces", "cobro doble"},
      .complaint = {"queja", "reclamo", "reclamacion", "abogado", "abogados", "demanda",
                    "denuncia", "profeco", "libro de reclamaciones"},
      .frustration = {"tercera vez", "cuantas veces", "ya les dije", "ya pregunte",
                      "pesimo servicio", "pesimo", "inutiles", "una verguenza", "ineptos",
                      "estoy harto", "estoy harta", "ridiculo", "no sirven para nada"},
      .negation_before = {"no quiero", "no necesito", "no hace falta", "no es necesario",
                          "no voy a", "sin necesidad de"},
      .negation_after = {},
      .calm = {"no es urgente", "sin prisa", "no hay prisa", "no hay apuro", "sin apuro",
               "cuando puedan", "nada urgente"},
      .narrative = {"tuvo una", "tuvo un", "tuve una", "tuve un", "hubo una", "hubo un"},
      .thanks = {"gracias", "muchas gracias", "mil gracias", "genial", "perfecto"},
      .marketing = {"haz clic", "haga clic", "oferta", "descuento", "compra ya", "promocion"},
  };
  return pack;
}

}  // namespace sb::handoff
