#!/usr/bin/env bash
# Rebuilds the bundled demo data in resources/demo/ from Debian packages, reproducibly:
#   genome  E. coli K-12 MG1655 from Debian's `ragout-examples` 2.3-4
#           (usr/share/doc/ragout/examples/E.Coli/references/MG1655-K12.fasta.gz, BSD-3-clause),
#           recompressed with bgzip (tabix 1.16) and indexed with samtools 1.16 (.fai + .gzi)
#   labels  genes called by Debian's `prodigal` 1:2.6.3 (`-p single`), kept as GFF3, and their
#           strand-aware start sites as a BED6 (1-bp regions; + strand: first base, - strand: last)
# Needs: apt-get, dpkg-deb, bgzip (tabix), samtools, prodigal, awk, sha256sum.
# Then (the slow part, ~6-10 min on CPU; LOCI_DEMO_SKIP_MODEL=1 leaves it out) scripts/make-demo-model.sh:
#   model/  loci-bpe-mini fine-tuned on the demo dataset, and example-annotations.gff3 from its scan.
# Usage: bash scripts/make-demo.sh [out-dir]   (default: resources/demo next to this script)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/../resources/demo}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
work="$(mktemp -d /tmp/loci-demo.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# Pinned so a rebuild gives the same bytes; the checksum catches a different package.
RAGOUT_VERSION=2.3-4
GENOME_GZ_SHA256=ae952b2873ef8badc956925a61c5b536d4e40322b4e8b15dde3d8eda7ce3c879

for tool in apt-get dpkg-deb bgzip samtools prodigal awk sha256sum; do
  command -v "$tool" >/dev/null || { echo "make-demo: '$tool' is missing (apt-get install tabix samtools prodigal)" >&2; exit 1; }
done

cd "$work"
# apt-get download writes into the current folder; _apt cannot write to a root-owned mktemp dir.
chmod 755 "$work"
apt-get download "ragout-examples=$RAGOUT_VERSION" >/dev/null 2>&1 || apt-get download ragout-examples
dpkg-deb -x ragout-examples_*_all.deb pkg
src=pkg/usr/share/doc/ragout/examples/E.Coli/references/MG1655-K12.fasta.gz
echo "$GENOME_GZ_SHA256  $src" | sha256sum -c - >/dev/null || { echo "make-demo: $src has an unexpected checksum" >&2; exit 1; }
cp pkg/usr/share/doc/ragout-examples/copyright ragout-copyright.txt

# Plain FASTA for prodigal; then bgzip (block-compressed, so it can be read by region) + indexes.
gzip -dc "$src" > genome.fa
prodigal -i genome.fa -f gff -o prodigal-genes.gff -p single -q
bgzip -c -l 9 genome.fa > ecoli-k12-mg1655.fa.gz
samtools faidx ecoli-k12-mg1655.fa.gz   # writes .fa.gz.fai and .fa.gz.gzi

# Start sites (0-based BED): + strand genes start at GFF start-1, - strand genes at GFF end-1.
# Genes running off the sequence end (start_type=Edge) have no start codon and are left out.
# Name: prodigal's gene ID (the ID= attribute); score: 0 (BED scores are not used by the demo).
awk -F'\t' 'BEGIN { OFS = "\t" }
  /^#/ || NF != 9 || $3 != "CDS" || $9 ~ /start_type=Edge/ { next }
  {
    id = $9; sub(/^ID=/, "", id); sub(/;.*$/, "", id)
    pos = ($7 == "-") ? $5 - 1 : $4 - 1
    print $1, pos, pos + 1, id, 0, $7
  }' prodigal-genes.gff | sort -k1,1 -k2,2n -k6,6 > prodigal-start-sites.bed

cp ecoli-k12-mg1655.fa.gz ecoli-k12-mg1655.fa.gz.fai ecoli-k12-mg1655.fa.gz.gzi \
   prodigal-genes.gff prodigal-start-sites.bed ragout-copyright.txt "$out/"
# The .fai must not look older than the FASTA it indexes (the reader checks mtimes).
touch "$out/ecoli-k12-mg1655.fa.gz.fai" "$out/ecoli-k12-mg1655.fa.gz.gzi"

echo "make-demo: wrote $out"
echo "  genes: $(grep -c $'\tCDS\t' "$out/prodigal-genes.gff")  start sites: $(wc -l < "$out/prodigal-start-sites.bed")"
(cd "$out" && sha256sum ecoli-k12-mg1655.fa.gz prodigal-genes.gff prodigal-start-sites.bed)
du -ch "$out"/* | tail -1

if [[ "${LOCI_DEMO_SKIP_MODEL:-}" != 1 ]]; then
  bash "$here/make-demo-model.sh" "$out"
fi
