import json
import os

import boto3

TABLE = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def create_order(event, context):
    order = json.loads(event["body"])
    TABLE.put_item(Item=order)
    return {"statusCode": 201, "body": json.dumps({"orderId": order["orderId"]})}


def report(event, context):
    s3 = boto3.client("s3")
    items = TABLE.scan()["Items"]
    s3.put_object(Bucket=os.environ["REPORTS_BUCKET"], Key="daily.json", Body=json.dumps(items))
    return {"count": len(items)}
