// The committed docs/interchange.schema.json is the schema the model generates.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/model.h"

namespace memoria {
namespace {

TEST(InterchangeSchemaDoc, CommittedSchemaMatchesTheModel) {
  std::ifstream in(std::string(MEMORIA_SOURCE_DIR) + "/docs/interchange.schema.json");
  ASSERT_TRUE(in) << "docs/interchange.schema.json is missing";
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), InterchangeJsonSchema().dump(2) + "\n")
      << "regenerate it with: memoria schema > docs/interchange.schema.json";
}

TEST(InterchangeSchemaDoc, EveryTypeAndFieldIsDescribed) {
  nlohmann::json schema = InterchangeJsonSchema();
  ASSERT_EQ(schema["oneOf"].size(), EntitySpecs().size());
  for (std::size_t i = 0; i < EntitySpecs().size(); ++i) {
    const EntitySpec& spec = EntitySpecs()[i];
    const nlohmann::json& s = schema["oneOf"][i];
    EXPECT_EQ(s["properties"]["type"]["const"], spec.type);
    EXPECT_EQ(s["additionalProperties"], false);
    for (const FieldSpec& f : spec.fields) {
      ASSERT_TRUE(s["properties"].contains(f.name)) << spec.type << "." << f.name;
      EXPECT_FALSE(s["properties"][f.name]["description"].get<std::string>().empty());
    }
  }
}

}  // namespace
}  // namespace memoria
