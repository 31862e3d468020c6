# Staging start/stop schedule: EventBridge invokes a Rust Lambda
# (provided.al2023) that sets each service's desired count, web and API each
# to its own value. Failures are visible: the invocation fails, EventBridge
# and Lambda retry, exhausted events land in a DLQ, and an alarm watches the
# Errors metric (INFRA-FACTS defect 2).

locals {
  scheduler_name = "${var.name_prefix}-ecs-scheduler"
  schedules = var.scheduler_enabled ? {
    start = var.scheduler_start_cron
    stop  = var.scheduler_stop_cron
  } : {}
}

resource "aws_cloudwatch_log_group" "scheduler" {
  #checkov:skip=CKV_AWS_338:Two invocations a day; 7 days of logs (the seeds' value) cover any investigation, the alarm keeps the failure signal.
  #checkov:skip=CKV_AWS_158:CloudWatch Logs encrypts at rest with service keys; a customer key can be supplied through log_kms_key_arn.
  count = var.scheduler_enabled ? 1 : 0

  name              = "/aws/lambda/${local.scheduler_name}"
  retention_in_days = var.scheduler_log_retention_days
  kms_key_id        = var.log_kms_key_arn
}

resource "aws_sqs_queue" "scheduler_dlq" {
  count = var.scheduler_enabled ? 1 : 0

  name                      = "${local.scheduler_name}-dlq"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
}

data "aws_iam_policy_document" "scheduler_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "scheduler" {
  count = var.scheduler_enabled ? 1 : 0

  name               = local.scheduler_name
  assume_role_policy = data.aws_iam_policy_document.scheduler_assume.json
}

data "aws_iam_policy_document" "scheduler" {
  count = var.scheduler_enabled ? 1 : 0

  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.scheduler[0].arn}:*"]
  }

  statement {
    sid       = "ScaleTheTwoServices"
    actions   = ["ecs:UpdateService", "ecs:DescribeServices"]
    resources = [for s in aws_ecs_service.this : s.id]
  }

  statement {
    sid       = "DeadLetter"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.scheduler_dlq[0].arn]
  }

  # X-Ray trace segment actions have no resource-level permissions.
  statement {
    sid       = "Tracing"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "scheduler" {
  count = var.scheduler_enabled ? 1 : 0

  name   = "scale-services"
  role   = aws_iam_role.scheduler[0].id
  policy = data.aws_iam_policy_document.scheduler[0].json
}

resource "aws_lambda_function" "scheduler" {
  #checkov:skip=CKV_AWS_117:The function only calls the public ECS API; staging has no NAT gateway, so VPC placement would cut it off.
  #checkov:skip=CKV_AWS_115:Reserved concurrency would eat into small accounts' unreserved minimum; EventBridge fires it twice a day.
  #checkov:skip=CKV_AWS_173:The environment holds only cluster and service names and counts, nothing secret.
  #checkov:skip=CKV_AWS_272:The zip is built by CI from this repository; code signing would need a signing profile per account.
  count = var.scheduler_enabled ? 1 : 0

  function_name    = local.scheduler_name
  description      = "Starts (09:00 JST) and stops (22:00 JST) the ${var.name_prefix} ECS services on weekdays"
  role             = aws_iam_role.scheduler[0].arn
  runtime          = "provided.al2023"
  handler          = "bootstrap"
  architectures    = [var.scheduler_architecture]
  filename         = var.scheduler_lambda_zip_path
  source_code_hash = filebase64sha256(var.scheduler_lambda_zip_path)
  memory_size      = 128
  timeout          = 30

  environment {
    variables = {
      CLUSTER_NAME      = aws_ecs_cluster.this.name
      WEB_SERVICE_NAME  = aws_ecs_service.this["web"].name
      API_SERVICE_NAME  = aws_ecs_service.this["api"].name
      WEB_DESIRED_COUNT = tostring(var.scheduler_web_desired_count)
      API_DESIRED_COUNT = tostring(var.scheduler_api_desired_count)
    }
  }

  dead_letter_config {
    target_arn = aws_sqs_queue.scheduler_dlq[0].arn
  }

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.scheduler[0].name
  }

  lifecycle {
    precondition {
      condition     = var.scheduler_lambda_zip_path != ""
      error_message = "scheduler_enabled needs scheduler_lambda_zip_path (build the zip first, see the module README)."
    }
  }

  depends_on = [aws_iam_role_policy.scheduler]
}

resource "aws_cloudwatch_event_rule" "scheduler" {
  for_each = local.schedules

  name                = "${local.scheduler_name}-${each.key}"
  description         = "${each.key} the ${var.name_prefix} ECS services"
  schedule_expression = each.value
}

resource "aws_cloudwatch_event_target" "scheduler" {
  for_each = local.schedules

  rule  = aws_cloudwatch_event_rule.scheduler[each.key].name
  arn   = aws_lambda_function.scheduler[0].arn
  input = jsonencode({ action = each.key })

  retry_policy {
    maximum_event_age_in_seconds = 3600
    maximum_retry_attempts       = 3
  }
}

resource "aws_lambda_permission" "scheduler" {
  for_each = local.schedules

  statement_id  = "AllowEventBridge-${each.key}"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.scheduler[0].function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.scheduler[each.key].arn
}

resource "aws_cloudwatch_metric_alarm" "scheduler_errors" {
  count = var.scheduler_enabled ? 1 : 0

  alarm_name          = "${local.scheduler_name}-errors"
  alarm_description   = "The ECS start/stop Lambda failed; services may be left running or stopped."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.scheduler[0].function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
}
