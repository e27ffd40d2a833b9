#!/usr/bin/env bash
# What each modern-cnns artifact costs a project that depends on it: the jars of its transitive runtime class path
# (without an ND4J backend, which the application chooses), and what the CPU backend with oneDNN for Linux x86-64
# adds. Prints the Markdown table of docs/library.md. Needs the artifacts installed (mvn install).
#
#   tools/dependency-sizes.sh [-o]      (-o: Maven offline)
set -euo pipefail
cd "$(dirname "$0")/.."
offline=${1:-}
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' bom/pom.xml)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# $1 = name, then dependency XML; prints "jars bytes"
classpath_size() {
  local dir="$work/$1"
  mkdir -p "$dir"
  cat > "$dir/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId><artifactId>size-$1</artifactId><version>1</version>
  <dependencyManagement><dependencies><dependency>
    <groupId>io.github.moderncnns</groupId><artifactId>moderncnns-bom</artifactId><version>$version</version>
    <type>pom</type><scope>import</scope>
  </dependency></dependencies></dependencyManagement>
  <dependencies>$2</dependencies>
</project>
POM
  mvn -B -q -Dstyle.color=never -f "$dir/pom.xml" $offline dependency:build-classpath -Dmdep.outputFile="$dir/cp.txt" >/dev/null
  tr ':' '\n' < "$dir/cp.txt" | grep -c '\.jar$' | tr '\n' ' '
  tr ':' '\n' < "$dir/cp.txt" | grep '\.jar$' | xargs stat -c %s | awk '{s += $1} END {print s}'
}

dep() { echo "<dependency><groupId>$1</groupId><artifactId>$2</artifactId>${3:+<classifier>$3</classifier>}</dependency>"; }
# as docs/examples/train-lenet/pom.xml has it: the oneDNN build only, without the plain one nd4j-native's POM adds
backend="<dependency><groupId>org.nd4j</groupId><artifactId>nd4j-native</artifactId><exclusions><exclusion>\
<groupId>org.nd4j</groupId><artifactId>nd4j-native</artifactId></exclusion></exclusions></dependency>\
<dependency><groupId>org.nd4j</groupId><artifactId>nd4j-native</artifactId><classifier>linux-x86_64-onednn</classifier>\
<exclusions><exclusion><groupId>org.nd4j</groupId><artifactId>nd4j-native</artifactId></exclusion></exclusions></dependency>"

echo "| artifact | jars | MB | with the CPU backend (oneDNN, linux-x86_64): jars | MB |"
echo "|---|---:|---:|---:|---:|"
for module in fmnist-data architectures training spark; do
  read -r jars bytes < <(classpath_size "$module" "$(dep io.github.moderncnns "moderncnns-$module")")
  read -r bjars bbytes < <(classpath_size "$module-cpu" "$(dep io.github.moderncnns "moderncnns-$module")$backend")
  printf '| `moderncnns-%s` | %d | %.0f | %d | %.0f |\n' "$module" "$jars" "$(echo "$bytes/1000000" | bc -l)" \
      "$bjars" "$(echo "$bbytes/1000000" | bc -l)"
done
