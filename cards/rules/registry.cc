#include "cards/rules/registry.h"

#include "cards/rules/antiviral_prophylaxis.h"
#include "cards/rules/overlapping_immunosuppression.h"
#include "cards/rules/prolonged_steroid.h"
#include "cards/rules/relapse_steroid_course.h"
#include "cards/rules/steroid_premedication.h"

namespace steroid_advisor::cards {

const std::vector<const Rule*>& AllRules() {
  static const SteroidPremedicationRule steroid_premedication;
  static const AntiviralProphylaxisRule antiviral_prophylaxis;
  static const ProlongedSteroidRule prolonged_steroid;
  static const OverlappingImmunosuppressionRule overlapping_immunosuppression;
  static const RelapseSteroidCourseRule relapse_steroid_course;
  static const std::vector<const Rule*> rules = {
      &steroid_premedication,         &antiviral_prophylaxis,  &prolonged_steroid,
      &overlapping_immunosuppression, &relapse_steroid_course,
  };
  return rules;
}

}  // namespace steroid_advisor::cards
