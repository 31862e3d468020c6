# Route53 zone (created or looked up), ACM certificate for the apex and
# *.domain validated through DNS, and alias records for the apex and www.

resource "aws_route53_zone" "this" {
  #checkov:skip=CKV2_AWS_38:DNSSEC needs a KMS key in us-east-1 and a DS record at the registrar; it is an operator step documented in the env README.
  #checkov:skip=CKV2_AWS_39:Query logging must live in us-east-1 and costs per query; the zone holds only public alias and validation records.
  count = local.https_enabled && var.create_route53_zone ? 1 : 0

  name    = var.domain_name
  comment = "Public zone of ${var.name_prefix}"
}

data "aws_route53_zone" "this" {
  count = local.https_enabled && !var.create_route53_zone ? 1 : 0

  name         = var.domain_name
  private_zone = false
}

locals {
  zone_id = local.https_enabled ? (var.create_route53_zone ? aws_route53_zone.this[0].zone_id : data.aws_route53_zone.this[0].zone_id) : null
}

resource "aws_acm_certificate" "this" {
  #checkov:skip=CKV2_AWS_71:The seeds call for a certificate covering the apex and *.domain (www and future hosts); the key stays inside ACM.
  count = local.https_enabled ? 1 : 0

  domain_name               = var.domain_name
  subject_alternative_names = ["*.${var.domain_name}"]
  validation_method         = "DNS"

  tags = { Name = "${var.name_prefix}-cert" }

  lifecycle {
    create_before_destroy = true
  }
}

# The apex and the wildcard share one validation record, hence allow_overwrite.
resource "aws_route53_record" "validation" {
  for_each = local.https_enabled ? {
    for dvo in aws_acm_certificate.this[0].domain_validation_options : dvo.domain_name => {
      name   = dvo.resource_record_name
      type   = dvo.resource_record_type
      record = dvo.resource_record_value
    }
  } : {}

  zone_id         = local.zone_id
  name            = each.value.name
  type            = each.value.type
  records         = [each.value.record]
  ttl             = 300
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "this" {
  count = local.https_enabled ? 1 : 0

  certificate_arn         = aws_acm_certificate.this[0].arn
  validation_record_fqdns = [for r in aws_route53_record.validation : r.fqdn]
}

resource "aws_route53_record" "alias" {
  for_each = local.https_enabled ? toset(["", "www."]) : toset([])

  zone_id = local.zone_id
  name    = "${each.value}${var.domain_name}"
  type    = "A"

  alias {
    name                   = aws_lb.this.dns_name
    zone_id                = aws_lb.this.zone_id
    evaluate_target_health = true
  }
}
