// Portuguese (Brazil and Portugal).
#include "services/handoff/language_pack.h"

namespace sb::handoff {

const LanguagePack& pack_pt() {
  static const LanguagePack pack{
      .code = "pt",
      .urgent = {"urgente", "urgencia", "emergencia", "o quanto antes"},
      .danger = {"incendio", "fogo", "pegando fogo", "vazamento de gas", "cheiro de gas",
                 "fuga de gas", "enchente", "alagou", "alagado", "inundacao", "ferido",
                 "ferida", "machucado", "ambulancia", "sangrando"},
      .security = {"roubaram meu cartao", "cartao roubado", "cartao furtado",
                   "perdi meu cartao", "cartao perdido", "fraude", "golpe", "clonaram",
                   "cartao clonado", "hackearam", "invadiram minha conta", "conta invadida",
                   "bloquear meu cartao", "bloqueiem meu cartao", "compra nao reconhecida",
                   "compra que nao fiz"},
      .outage = {"sem luz", "sem energia", "falta de energia", "queda de energia",
                 "sistema caiu", "sistema fora do ar", "fora do ar", "maquininha nao funciona",
                 "nao conseguimos receber"},
      .ask_for_human = {"falar com um atendente", "falar com atendente", "falar com uma pessoa",
                        "falar com um humano", "falar com alguem", "quero um atendente",
                        "quero atendente", "um atendente", "atendente humano",
                        "atendimento humano", "pessoa real", "falar com um operador",
                        "falar com o gerente", "falar com um consultor", "^atendente$",
                        "atendente por favor", "^humano$"},
      .cancel = {"cancelar minha assinatura", "cancelar a assinatura", "cancelar assinatura",
                 "cancelar meu plano", "cancelar o plano", "encerrar minha conta",
                 "cancelar minha conta", "excluir minha conta", "rescindir o contrato"},
      .refund = {"reembolso", "estorno", "dinheiro de volta", "devolucao do dinheiro",
                 "cobrado duas vezes", "cobranca duplicada", "quero meu dinheiro"},
      .complaint = {"reclamacao", "advogado", "procon", "reclame aqui", "vou processar",
                    "acao judicial"},
      .frustration = {"terceira vez", "quantas vezes", "ja perguntei", "ja falei", "pessimo",
                      "pessimo atendimento", "absurdo", "ridiculo", "incompetentes",
                      "palhacada", "que vergonha", "cansei"},
      .negation_before = {"nao quero", "nao preciso", "nao precisa", "nao e necessario",
                          "sem necessidade de", "nao vou"},
      .negation_after = {},
      .calm = {"nao e urgente", "sem pressa", "nao tem pressa", "quando puder", "nada urgente"},
      .narrative = {"teve uma", "teve um", "tive uma", "tive um", "houve uma", "houve um"},
      .thanks = {"obrigado", "obrigada", "valeu", "muito obrigado", "muito obrigada", "agradeco"},
      .marketing = {"clique aqui", "promocao", "oferta", "desconto", "compre ja", "frete gratis"},
  };
  return pack;
}

}  // namespace sb::handoff
