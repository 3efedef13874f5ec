#include "graph/types.h"

namespace kg {

std::string_view ActorTypeName(ActorType type) {
  switch (type) {
    case ActorType::kUnknown:
      return "unknown";
    case ActorType::kCountry:
      return "country";
    case ActorType::kPerson:
      return "person";
    case ActorType::kOrganization:
      return "organization";
    case ActorType::kGroup:
      return "group";
    case ActorType::kPlace:
      return "place";
  }
  return "unknown";
}

std::optional<ActorType> ParseActorType(std::string_view name) {
  for (auto t : {ActorType::kUnknown, ActorType::kCountry, ActorType::kPerson,
                 ActorType::kOrganization, ActorType::kGroup, ActorType::kPlace}) {
    if (ActorTypeName(t) == name) return t;
  }
  return std::nullopt;
}

}  // namespace kg
