// Indonesian, with the chat forms (gak/nggak, CS for customer service, "admin" for the
// person behind a shop's account).
#include "services/handoff/language_pack.h"

namespace sb::handoff {

const LanguagePack& pack_id() {
  static const LanguagePack pack{
      .code = "id",
      .urgent = {"darurat", "mendesak", "gawat", "penting banget"},
      .danger = {"kebakaran", "bocor gas", "gas bocor", "kebocoran gas", "banjir",
                 "kebanjiran", "terluka", "luka parah", "ambulans", "berdarah"},
      .security = {"kartu saya dicuri", "kartu dicuri", "kartu hilang", "kehilangan kartu",
                   "dompet hilang", "penipuan", "ditipu", "akun dibobol", "akun diretas",
                   "diretas", "dihack", "blokir kartu", "transaksi tidak dikenal",
                   "saldo hilang"},
      .outage = {"listrik mati", "mati lampu", "tidak ada listrik", "sistem down",
                 "server down", "tidak bisa terima pembayaran", "mesin edc"},
      .ask_for_human = {"bicara dengan cs", "bicara sama cs", "ngobrol dengan cs",
                        "chat dengan cs", "dengan cs", "sama cs", "hubungkan ke cs",
                        "agen manusia", "cs manusia", "admin manusia", "bicara dengan admin",
                        "sama admin", "dengan manusia", "orang asli", "minta cs", "^cs$",
                        "^admin$", "bicara dengan orang", "layanan pelanggan"},
      .cancel = {"batalkan langganan", "berhenti langganan", "membatalkan langganan",
                 "tutup akun", "hapus akun", "putus kontrak"},
      .refund = {"pengembalian dana", "uang kembali", "balikin uang", "kembalikan uang",
                 "dana kembali", "terpotong dua kali"},
      .complaint = {"komplain", "keluhan", "pengacara", "somasi", "ylki", "bpsk"},
      .frustration = {"ketiga kalinya", "ketiga kali", "berkali kali", "kecewa berat",
                      "payah", "parah banget", "tidak becus", "gak becus", "bodoh", "goblok"},
      .negation_before = {"tidak mau", "gak mau", "nggak mau", "ga mau", "enggak mau",
                          "tidak perlu", "gak perlu", "nggak perlu", "ga perlu", "tidak ingin",
                          "gak usah", "nggak usah", "tidak usah", "gausah"},
      .negation_after = {},
      .calm = {"tidak mendesak", "tidak urgent", "gak urgent", "santai aja",
               "nggak buru buru", "tidak buru buru", "gak buru buru"},
      .narrative = {},
      .thanks = {"terima kasih", "makasih", "trims"},
      .marketing = {"klik di sini", "klik link", "promo", "diskon", "gratis ongkir"},
  };
  return pack;
}

}  // namespace sb::handoff
