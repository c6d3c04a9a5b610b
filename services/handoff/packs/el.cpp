// Greek (a start: the urgency words the first default rules carried).
#include "services/handoff/language_pack.h"

namespace sb::handoff {

const LanguagePack& pack_el() {
  static const LanguagePack pack{
      .code = "el",
      .urgent = {"επειγον", "επειγοντως", "εκτακτη αναγκη"},
      .calm = {"δεν ειναι επειγον"},
      .thanks = {"ευχαριστω"},
  };
  return pack;
}

}  // namespace sb::handoff
